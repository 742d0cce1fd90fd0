using System.Runtime.InteropServices;
using CoPilot.Core;
using CoPilot.Inference.Accompaniment;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Inference.Generation;

/// <summary>How <see cref="ChordAccompanist"/> picks chords.</summary>
/// <param name="Temperature">0 takes the model's likeliest root and quality; above 0 draws them, scaled.</param>
/// <param name="ChangeThreshold">How likely the model must find a chord change at a bar or half-bar line to make one there.</param>
/// <param name="SongMemory">Whether chords are drawn with the song's memory (<see cref="ChordMemory"/>), as the plugin does; off only to measure what it adds.</param>
/// <param name="LookAhead">Melody tokens after a chord slot (up to the next bar line) that weigh in on its chord: a file's
/// melody is known ahead, a live player's is not. 0: causal, as live.</param>
public readonly record struct AccompanistSettings(float Temperature = 0.5f, float ChangeThreshold = 0.5f, ulong Seed = 1, bool SongMemory = true, int LookAhead = 0)
{
    /// <summary>
    /// The look-ahead for a file (<c>copilot accompany</c>), about five notes: on the valid lead sheets it raised
    /// agreement with the songs' chords from 0.31 to 0.50 (Nottingham) and 0.23 to 0.28 (POP909) against the causal
    /// choice, and did better than 8 or 32 tokens (docs/evaluation/model.md).
    /// </summary>
    public const int FileLookAhead = 16;
}

/// <summary>The chords the model chose for a melody, and the lead sheet they make with it.</summary>
/// <param name="Chords">Onsets in ticks from the start of the piece's first bar.</param>
/// <param name="Tokens">The melody's lead-sheet tokens with the chords in place: a canonical sequence.</param>
public sealed record Accompaniment(IReadOnlyList<PieceChord> Chords, int[] Tokens);

/// <summary>
/// Chords for a melody from the model, written the way it learned lead sheets: it reads the melody from the
/// start and, at every bar line and at half bars where the melody moves, says whether the harmony changes
/// there and to what.
/// </summary>
/// <remarks>
/// <para>
/// Causal, as a live accompanist is: a chord is chosen from the melody <em>before</em> it (and the chords already
/// chosen), never from notes still to come, which is how the lead-sheet tokens order a chord and the notes that
/// start with it. The first bar always gets a chord. At a later bar line the model decides whether a chord starts
/// (P(chord tokens) after the bar's Position 0, or, where the melody rests on the downbeat, P(Position 0) against
/// the melody's next onset); at the half bar of an even metre it decides when the melody has a note there.
/// A chord is the root then quality the model writes (drawn at <see cref="AccompanistSettings.Temperature"/>);
/// drawing the chord already sounding holds it.
/// </para>
/// <para>
/// With <see cref="AccompanistSettings.LookAhead"/> (a file, whose melody is known), a bar line or half bar with a note
/// instead weighs the likeliest chords, and holding, by how well the melody that follows fits under each.
/// </para>
/// <para>Like the plugin's accompanist it remembers the chords it chose with the model's state at each
/// (<see cref="ChordMemory"/>), so a section that comes back gets its chords back.</para>
/// <para>Offline: reads through <see cref="SequenceReader"/> (allocates). [one thread at a time]</para>
/// </remarks>
public sealed class ChordAccompanist(OnnxDecoder decoder)
{
    private const int Roots = PitchClass.Count;
    private const int Qualities = ChordQualities.Count;

    private const int LookAheadRoots = 3;

    private readonly SequenceReader _reader = new(decoder ?? throw new ArgumentNullException(nameof(decoder)));
    private readonly float[] _weights = new float[Math.Max(Roots, Qualities)];
    private readonly float[] _rootScores = new float[Roots];
    private readonly ChordMemory _memory = new(decoder.Info.Dim);

    /// <summary>
    /// Accompanies <paramref name="melody"/>, a canonical lead-sheet sequence without chords (header, bars, notes,
    /// Eos), as <see cref="TokenEncoder"/> writes a melody-only piece with task <see cref="GenerationTask.NextChords"/>.
    /// </summary>
    public Accompaniment Accompany(ReadOnlySpan<int> melody, AccompanistSettings settings)
    {
        if (melody.Length < 6 || melody[0] != Vocabulary.Bos)
        {
            throw new ArgumentException("Expected a lead-sheet sequence: Bos, the header, bars and Eos.", nameof(melody));
        }

        _reader.Reset();
        _memory.Clear();
        var random = new SplitMix64(settings.Seed);
        var output = new List<int>(melody.Length + 64);
        var chords = new List<PieceChord>();
        (int Root, ChordQuality Quality)? sounding = null;
        Metre metre = default;
        int barStart = 0, bars = 0;
        for (int i = 0; i < melody.Length; i++)
        {
            int token = melody[i];
            if (Vocabulary.IsChordRoot(token) || token == Vocabulary.NoChord || Vocabulary.IsChordBass(token) || Vocabulary.IsChordQuality(token))
            {
                throw new ArgumentException($"The melody already holds chord tokens (at {i}).", nameof(melody));
            }

            if (token == Vocabulary.Bar)
            {
                // The metre in force is still the bar's before: a change comes after its Bar token.
                barStart += bars++ == 0 ? 0 : metre.BarTicks;
            }
            else if (Vocabulary.IsMetre(token))
            {
                metre = Vocabulary.Metres[token - Vocabulary.MetreBase];
            }

            output.Add(token);
            bool barOpen = bars > 0 && (token == Vocabulary.Bar || IsBarChange(token));
            bool nextIsBarContent = i + 1 < melody.Length && !IsBarChange(melody[i + 1]);
            if (barOpen && nextIsBarContent)
            {
                // The bar line: the melody's next token is its first onset (Position), the next Bar, or Eos.
                int next = melody[i + 1];
                bool onsetOnDownbeat = next == Vocabulary.PositionToken(0);
                if (onsetOnDownbeat)
                {
                    output.Add(next);
                    i++;
                    ReadOnlySpan<float> logits = _reader.ReadTo(CollectionsMarshal.AsSpan(output), output.Count);
                    ReadOnlySpan<int> upcoming = Upcoming(melody, i + 1, settings.LookAhead);
                    if (!upcoming.IsEmpty)
                    {
                        PlaceLookingAhead(output, chords, barStart, ref sounding, upcoming, settings, ref random);
                    }
                    else if (sounding is null || ChordLogits.ChordShare(logits) > settings.ChangeThreshold)
                    {
                        Place(output, chords, barStart, ref sounding, settings, ref random);
                    }
                }
                else
                {
                    ReadOnlySpan<float> logits = _reader.ReadTo(CollectionsMarshal.AsSpan(output), output.Count);
                    float downbeat = logits[Vocabulary.PositionToken(0)];
                    float onward = Vocabulary.IsPosition(next) || next == Vocabulary.Bar || next == Vocabulary.Eos ? logits[next] : float.NegativeInfinity;
                    if (sounding is null || downbeat > onward)
                    {
                        output.Add(Vocabulary.PositionToken(0));
                        _reader.ReadTo(CollectionsMarshal.AsSpan(output), output.Count);
                        if (!Place(output, chords, barStart, ref sounding, settings, ref random))
                        {
                            // No chord after all: the downbeat, which only a chord would have filled, goes again.
                            output.RemoveAt(output.Count - 1);
                            _reader.Forget(1);
                        }
                    }
                }
            }
            else if (Vocabulary.IsPosition(token) && bars > 0 && token - Vocabulary.PositionBase == HalfBar(metre) && sounding is not null)
            {
                ReadOnlySpan<float> logits = _reader.ReadTo(CollectionsMarshal.AsSpan(output), output.Count);
                ReadOnlySpan<int> upcoming = Upcoming(melody, i + 1, settings.LookAhead);
                if (!upcoming.IsEmpty)
                {
                    PlaceLookingAhead(output, chords, barStart + token - Vocabulary.PositionBase, ref sounding, upcoming, settings, ref random);
                }
                else if (ChordLogits.ChordShare(logits) > settings.ChangeThreshold)
                {
                    Place(output, chords, barStart + token - Vocabulary.PositionBase, ref sounding, settings, ref random);
                }
            }
        }

        return new Accompaniment(chords, [.. output]);
    }

    /// <summary>
    /// The tick of the half bar where a chord may also change (<see cref="ChordGrid"/>, the plugin's rule); -1 for
    /// metres that change per bar (2/4, 3/4).
    /// </summary>
    public static int HalfBar(Metre metre) =>
        ChordGrid.SplitsBar(metre.Numerator, (double)metre.BarTicks / Vocabulary.TicksPerBeat) ? metre.BarTicks / 2 : -1;

    // A metre or key change: after a Bar token, before the bar's first Position.
    private static bool IsBarChange(int token) => Vocabulary.IsMetre(token) || Vocabulary.IsKey(token) || token == Vocabulary.KeyUnknown;

    // The melody's tokens from `start` up to the next bar line (or its end), at most `limit`.
    private static ReadOnlySpan<int> Upcoming(ReadOnlySpan<int> melody, int start, int limit)
    {
        int end = start;
        while (end < melody.Length && end - start < limit && melody[end] != Vocabulary.Bar && melody[end] != Vocabulary.Eos)
        {
            end++;
        }

        return melody[start..end];
    }

    // With the melody ahead known: each of the likeliest chords (and holding the one sounding) is scored by how
    // likely the model finds it here and then the melody that follows under it, ln P(chord | before) + ln P(melody
    // ahead | before, chord), a noisy-channel choice; the best is taken (at temperature 0) or drawn.
    private void PlaceLookingAhead(List<int> output, List<PieceChord> chords, int onset, ref (int Root, ChordQuality Quality)? sounding, ReadOnlySpan<int> upcoming, AccompanistSettings settings, ref SplitMix64 random)
    {
        ReadOnlySpan<int> read = CollectionsMarshal.AsSpan(output);
        ReadOnlySpan<float> logits = _reader.ReadTo(read, output.Count);
        double share = Math.Max(ChordLogits.ChordShare(logits), 1e-9);
        ReadOnlySpan<float> rootScores = RootScores(logits, sounding, settings);
        rootScores.CopyTo(_rootScores);
        Span<int> candidateRoots = stackalloc int[LookAheadRoots];
        for (int c = 0; c < LookAheadRoots; c++)
        {
            candidateRoots[c] = ChordLogits.Draw(_rootScores, -1, 0, _weights, ref random);
            _rootScores[candidateRoots[c]] = float.NegativeInfinity;
        }

        rootScores.CopyTo(_rootScores);
        Span<int> continuation = stackalloc int[upcoming.Length + 2];
        upcoming.CopyTo(continuation[2..]);
        Span<(int Root, ChordQuality Quality)> candidates = stackalloc (int, ChordQuality)[LookAheadRoots + 1];
        Span<float> scores = stackalloc float[LookAheadRoots + 1];
        int count = 0;
        foreach (int root in candidateRoots)
        {
            ReadOnlySpan<float> qualityScores = QualityScores(root, settings);
            var quality = (ChordQuality)ChordLogits.Draw(qualityScores, -1, 0, _weights, ref random);
            if ((root, quality) == sounding)
            {
                continue; // holding is scored below
            }

            // The chord's own tokens by the scores it was drawn from (the memory's mixture), the melody after by the model.
            continuation[0] = Vocabulary.ChordRootBase + root;
            continuation[1] = Vocabulary.ChordQualityToken(quality);
            double chord = Math.Log(share) + Logits.LogSoftmax(_rootScores, root) + Logits.LogSoftmax(qualityScores, (int)quality);
            candidates[count] = (root, quality);
            scores[count++] = (float)(chord + _reader.LogProbability(read, continuation, given: 2));
        }

        if (sounding is { } held)
        {
            candidates[count] = held;
            scores[count++] = (float)_reader.LogProbability(read, upcoming);
        }

        var (pickedRoot, pickedQuality) = candidates[ChordLogits.Draw(scores[..count], -1, settings.Temperature, _weights, ref random)];
        Change(output, chords, onset, ref sounding, pickedRoot, pickedQuality, settings);
    }

    // Chooses root then quality after the tokens in `output` (the last a Position) and appends them; false when the
    // chord drawn is the one sounding: the harmony holds (see ModelAccompanist's remarks).
    private bool Place(List<int> output, List<PieceChord> chords, int onset, ref (int Root, ChordQuality Quality)? sounding, AccompanistSettings settings, ref SplitMix64 random)
    {
        ReadOnlySpan<float> logits = _reader.ReadTo(CollectionsMarshal.AsSpan(output), output.Count);
        int root = ChordLogits.Draw(RootScores(logits, sounding, settings), -1, settings.Temperature, _weights, ref random);
        var quality = (ChordQuality)ChordLogits.Draw(QualityScores(root, settings), -1, settings.Temperature, _weights, ref random);
        return Change(output, chords, onset, ref sounding, root, quality, settings);
    }

    // The scores the root is drawn from after `logits`: the model's, mixed with the song's memory when it is on.
    private ReadOnlySpan<float> RootScores(ReadOnlySpan<float> logits, (int Root, ChordQuality Quality)? sounding, AccompanistSettings settings)
    {
        ReadOnlySpan<float> rootScores = logits.Slice(Vocabulary.ChordRootBase, Roots);
        if (!settings.SongMemory)
        {
            return rootScores;
        }

        Chord now = sounding is { } s ? new Chord(new PitchClass(s.Root), s.Quality) : Chord.None;
        return _memory.Roots(_reader.Hidden, rootScores, now);
    }

    // The scores the quality is drawn from after `root` (a peek past it), mixed likewise.
    private ReadOnlySpan<float> QualityScores(int root, AccompanistSettings settings)
    {
        ReadOnlySpan<float> qualityScores = _reader.Peek(Vocabulary.ChordRootBase + root).Slice(Vocabulary.ChordQualityBase, Qualities);
        return settings.SongMemory ? _memory.Qualities(root, qualityScores) : qualityScores;
    }

    // Writes the chord into the lead sheet and the chord list and remembers it; false (nothing written) when it is
    // the chord already sounding: the harmony holds.
    private bool Change(List<int> output, List<PieceChord> chords, int onset, ref (int Root, ChordQuality Quality)? sounding, int root, ChordQuality quality, AccompanistSettings settings)
    {
        if ((root, quality) == sounding)
        {
            return false;
        }

        if (settings.SongMemory)
        {
            _memory.Remember(root, quality);
        }

        output.Add(Vocabulary.ChordRootBase + root);
        output.Add(Vocabulary.ChordQualityToken(quality));
        chords.Add(new PieceChord(onset, new Chord(new PitchClass(root), quality)));
        sounding = (root, quality);
        return true;
    }
}
