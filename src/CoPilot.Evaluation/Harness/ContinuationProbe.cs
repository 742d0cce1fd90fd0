using System.Runtime.InteropServices;
using CoPilot.Core;
using CoPilot.Evaluation.Baselines;
using CoPilot.Evaluation.Metrics;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CoPilot.Music;

namespace CoPilot.Evaluation.Harness;

/// <summary>What a probe measured over one split: generated continuations beside the real ones.</summary>
/// <param name="Songs">Songs long enough to prompt and continue.</param>
/// <param name="Skipped">Songs shorter than prompt + continuation, or without a key.</param>
/// <param name="GeneratedNotes">Melody notes generated in all.</param>
/// <param name="ReferenceNotes">Melody notes in the real continuations.</param>
/// <param name="InKey">Generated notes in the song's key (minor: natural, harmonic and melodic scales).</param>
/// <param name="ReferenceInKey">The same for the real continuations: real music is not 100 % in key either.</param>
/// <param name="InChord">Generated notes in the chord the continuation itself states (lead sheets only).</param>
/// <param name="ReferenceInChord">The same for the real continuations under their real chords.</param>
/// <param name="PitchClassDistance">Mean over songs of the total variation between the generated and real pitch-class histograms.</param>
/// <param name="OnsetIntervalDistance">Mean over songs of the total variation between inter-onset-interval histograms.</param>
/// <param name="LongestCopy">The longest run of generated notes found verbatim (pitches in order) in a train melody.</param>
/// <param name="MeanLongestCopy">Mean over songs of each continuation's longest verbatim run.</param>
/// <param name="CopiesOverEight">Continuations with a verbatim run of more than 8 notes.</param>
/// <param name="ReferenceLongestCopy">Mean longest verbatim run of the real continuations: how much train and test share anyway.</param>
public sealed record ProbeResult(
    int Songs,
    int Skipped,
    long GeneratedNotes,
    long ReferenceNotes,
    Proportion InKey,
    Proportion ReferenceInKey,
    Proportion InChord,
    Proportion ReferenceInChord,
    double PitchClassDistance,
    double OnsetIntervalDistance,
    int LongestCopy,
    double MeanLongestCopy,
    int CopiesOverEight,
    double ReferenceLongestCopy);

/// <summary>
/// Continues held-out songs from their opening and judges the continuations musically (issue 6 item 4):
/// the first <see cref="PromptBars"/> bars are the prompt, the model writes the next
/// <see cref="ContinuationBars"/>, and they are compared with what the song really does there.
/// </summary>
/// <remarks>
/// By default sampling is constrained by <see cref="TokenGrammar"/> only (no key or range masks), so the figures
/// show what the model itself knows about key and chords. With <see cref="Constraints"/> the draws go through the
/// plugin's <see cref="ConstrainedSampler"/> instead (key mask, repetition and originality guards): the figures a
/// musician hears. Each song has its own seed, so runs repeat exactly.
/// </remarks>
public sealed class ContinuationProbe
{
    public const int PromptBars = 4;
    public const int ContinuationBars = 8;

    /// <summary>More than any 8 bars of the corpora need; a model that never closes a bar stops here.</summary>
    public const int MaxGeneratedTokens = 2000;

    private readonly VerbatimIndex _train;

    /// <param name="trainSequences">Train token sequences of the same view: their melodies are the originality reference.</param>
    public ContinuationProbe(IReadOnlyList<int[]> trainSequences, SamplingSettings sampling)
    {
        ArgumentNullException.ThrowIfNull(trainSequences);
        Sampling = sampling;
        var melodies = new List<int[]>(trainSequences.Count);
        foreach (int[] sequence in trainSequences)
        {
            List<MelodyNote> notes = Read(sequence, out _, out _).Notes;
            melodies.Add(NoteSymbols.Of(CollectionsMarshal.AsSpan(notes), NoteIdentity.Pitch));
        }

        _train = new VerbatimIndex(melodies);
    }

    public SamplingSettings Sampling { get; }

    /// <summary>When set, continuations are drawn as the plugin draws them (see remarks); null: grammar only.</summary>
    public ProbeConstraints? Constraints { get; init; }

    /// <param name="chords">Whether the view has chord symbols: note-in-chord is measured only then.</param>
    public ProbeResult Run(ITokenModel model, IReadOnlyList<int[]> sequences, ulong seed, bool chords)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        int songs = 0, skipped = 0, longest = 0, overEight = 0;
        long generatedNotes = 0, referenceNotes = 0;
        Proportion inKey = default, refInKey = default, inChord = default, refInChord = default;
        double pcDistance = 0, ioiDistance = 0, copySum = 0, refCopySum = 0;
        var pcA = new double[PitchClass.Count];
        var pcB = new double[PitchClass.Count];
        var ioiA = new double[NoteHistograms.IntervalBins];
        var ioiB = new double[NoteHistograms.IntervalBins];

        for (int s = 0; s < sequences.Count; s++)
        {
            int[] sequence = sequences[s];
            Reading reference = Read(sequence, out int promptEnd, out Key? key);
            if (key is null || promptEnd < 0 || reference.BarStarts.Count <= PromptBars + ContinuationBars)
            {
                skipped++;
                continue;
            }

            int from = reference.BarStarts[PromptBars], to = reference.BarStarts[PromptBars + ContinuationBars];
            int[] continued = Continue(model, sequence.AsSpan(0, promptEnd), new SplitMix64(seed + (ulong)s).NextULong());
            Reading generated = Read(continued, out _, out _);

            List<MelodyNote> gen = Window(generated.Notes, from, to);
            List<MelodyNote> real = Window(reference.Notes, from, to);
            songs++;
            generatedNotes += gen.Count;
            referenceNotes += real.Count;
            inKey += NoteMetrics.InKey(CollectionsMarshal.AsSpan(gen), key.Value);
            refInKey += NoteMetrics.InKey(CollectionsMarshal.AsSpan(real), key.Value);
            if (chords)
            {
                inChord += NoteMetrics.InChord(CollectionsMarshal.AsSpan(gen), CollectionsMarshal.AsSpan(generated.Chords));
                refInChord += NoteMetrics.InChord(CollectionsMarshal.AsSpan(real), CollectionsMarshal.AsSpan(reference.Chords));
            }

            Array.Clear(pcA);
            Array.Clear(pcB);
            Array.Clear(ioiA);
            Array.Clear(ioiB);
            NoteHistograms.AddPitchClasses(CollectionsMarshal.AsSpan(gen), pcA);
            NoteHistograms.AddPitchClasses(CollectionsMarshal.AsSpan(real), pcB);
            NoteHistograms.AddInterOnsetIntervals(CollectionsMarshal.AsSpan(gen), ioiA);
            NoteHistograms.AddInterOnsetIntervals(CollectionsMarshal.AsSpan(real), ioiB);
            pcDistance += NoteHistograms.TotalVariation(pcA, pcB);
            ioiDistance += NoteHistograms.TotalVariation(ioiA, ioiB);

            int copy = _train.LongestRun(NoteSymbols.Of(CollectionsMarshal.AsSpan(gen), NoteIdentity.Pitch)).Length;
            longest = Math.Max(longest, copy);
            overEight += copy > 8 ? 1 : 0;
            copySum += copy;
            refCopySum += _train.LongestRun(NoteSymbols.Of(CollectionsMarshal.AsSpan(real), NoteIdentity.Pitch)).Length;
        }

        double perSong(double sum) => songs == 0 ? double.NaN : sum / songs;
        return new ProbeResult(
            songs,
            skipped,
            generatedNotes,
            referenceNotes,
            inKey,
            refInKey,
            inChord,
            refInChord,
            perSong(pcDistance),
            perSong(ioiDistance),
            longest,
            perSong(copySum),
            overEight,
            perSong(refCopySum));
    }

    /// <summary>The prompt followed by what the model writes, cut at the bar after the continuation, closed by Eos.</summary>
    internal int[] Continue(ITokenModel model, ReadOnlySpan<int> prompt, ulong seed)
    {
        IProbeDraw draw = Constraints is { } constraints ? new ConstrainedDraw(model, constraints, seed) : new FreeDraw(model, Sampling, seed);
        var tokens = new List<int>(prompt.Length + 256);
        foreach (int token in prompt)
        {
            if (!draw.Observe(token))
            {
                throw new InvalidOperationException($"the prompt is not canonical at token {tokens.Count} ({Vocabulary.Describe(token)})");
            }

            tokens.Add(token);
        }

        int lastBoundary = tokens.Count;
        for (int n = 0; n < MaxGeneratedTokens; n++)
        {
            int token = draw.Next(CollectionsMarshal.AsSpan(tokens));
            if (token == Vocabulary.Eos
                || (token == Vocabulary.Bar && draw.Grammar.BarIndex + 1 >= PromptBars + ContinuationBars))
            {
                lastBoundary = tokens.Count;
                break;
            }

            draw.Observe(token);
            tokens.Add(token);
            if (draw.Grammar.IsAtEventBoundary)
            {
                lastBoundary = tokens.Count;
            }
        }

        // A model that ran out of tokens mid-event loses that event, not the whole continuation.
        tokens.RemoveRange(lastBoundary, tokens.Count - lastBoundary);
        tokens.Add(Vocabulary.Eos);
        return [.. tokens];
    }

    private static List<MelodyNote> Window(List<MelodyNote> notes, int fromTick, int toTick)
    {
        var window = new List<MelodyNote>();
        double from = fromTick / (double)Vocabulary.TicksPerBeat, to = toTick / (double)Vocabulary.TicksPerBeat;
        foreach (MelodyNote note in notes)
        {
            if (note.Onset >= from && note.Onset < to)
            {
                window.Add(note);
            }
        }

        return window;
    }

    private sealed record Reading(List<MelodyNote> Notes, List<ChordSpan> Chords, List<int> BarStarts);

    // Melody notes (sorted by onset), chord spans and bar starts in ticks, as far as the sequence reads cleanly.
    // promptEnd: the index of the Bar token that opens bar PromptBars (-1 when there is none).
    private static Reading Read(int[] sequence, out int promptEnd, out Key? key)
    {
        var notes = new List<MelodyNote>();
        var chords = new List<ChordSpan>();
        var barStarts = new List<int>();
        promptEnd = -1;
        key = null;
        var reader = new TokenReader(sequence);
        int lastTick = 0;
        while (reader.Read(out TokenEvent e) == ReadOutcome.Event)
        {
            switch (e.Kind)
            {
                case TokenEventKind.Header:
                    key = e.KeyIndex is >= 0 and < Key.MajorMinorCount ? Key.FromIndex(e.KeyIndex) : null;
                    break;
                case TokenEventKind.Bar:
                    barStarts.Add(e.BarStart);
                    lastTick = Math.Max(lastTick, e.BarStart + e.Metre.BarTicks);
                    if (e.BarIndex == PromptBars)
                    {
                        // The reader has consumed the Bar token (and any Metre/Key change after it): find the Bar itself.
                        promptEnd = sequence.AsSpan(0, reader.Index).LastIndexOf(Vocabulary.Bar);
                    }

                    break;
                case TokenEventKind.Chord:
                    if (chords.Count > 0)
                    {
                        chords[^1] = chords[^1] with { End = e.Chord.Onset / (double)Vocabulary.TicksPerBeat };
                    }

                    chords.Add(new ChordSpan(e.Chord.Onset / (double)Vocabulary.TicksPerBeat, double.PositiveInfinity, e.Chord.Chord));
                    break;
                case TokenEventKind.Note when e.Note.Voice == Voice.Melody:
                    notes.Add(new MelodyNote(e.Note.Pitch, e.Note.Onset / (double)Vocabulary.TicksPerBeat, e.Note.Duration / (double)Vocabulary.TicksPerBeat));
                    break;
            }
        }

        // Onsets arrive in order; within an onset the reader gives voice then pitch order, which sorting keeps.
        return new Reading(notes, chords, barStarts);
    }

    // How a probe draws: the next token (not yet observed) and the grammar state after the observed ones.
    private interface IProbeDraw
    {
        TokenGrammar Grammar { get; }

        bool Observe(int token);

        int Next(ReadOnlySpan<int> tokens);
    }

    // The model's own distribution under the grammar only. The grammar lives in the class so the sampler's mask
    // callback sees it advance.
    private sealed class FreeDraw(ITokenModel model, SamplingSettings sampling, ulong seed) : IProbeDraw
    {
        private readonly TokenSampler _sampler = new(model, sampling, seed);
        private TokenGrammar _grammar;

        public TokenGrammar Grammar => _grammar;

        public bool Observe(int token) => _grammar.Accept(token);

        public int Next(ReadOnlySpan<int> tokens) => _sampler.Next(tokens, Mask);

        private void Mask(ReadOnlySpan<int> context, Span<bool> allowed)
        {
            TokenSet set = _grammar.Allowed;
            for (int t = 0; t < allowed.Length; t++)
            {
                allowed[t] &= set.Contains(t);
            }
        }
    }

    // The plugin's sampler over the model's log-probabilities (any ITokenModel: logits up to a constant).
    private sealed class ConstrainedDraw(ITokenModel model, ProbeConstraints constraints, ulong seed) : IProbeDraw
    {
        private readonly ConstrainedSampler _sampler = new(constraints.Settings, seed, constraints.Originality);
        private readonly double[] _probabilities = new double[model.VocabularySize];
        private readonly float[] _logits = new float[Math.Max(model.VocabularySize, Vocabulary.Size)];

        public TokenGrammar Grammar => _sampler.Grammar;

        public bool Observe(int token) => _sampler.Observe(token);

        public int Next(ReadOnlySpan<int> tokens)
        {
            model.Distribution(tokens, _probabilities);
            for (int t = 0; t < _probabilities.Length; t++)
            {
                _logits[t] = _probabilities[t] > 0 ? (float)Math.Log(_probabilities[t]) : float.NegativeInfinity;
            }

            return _sampler.Sample(_logits);
        }
    }
}

/// <summary>How the plugin constrains its draws: the sampler's settings and the originality index shipped with the model.</summary>
public sealed record ProbeConstraints(SamplerSettings Settings, OriginalityIndex? Originality)
{
    /// <summary>
    /// The plugin's melody answer (ModelPhraseGenerator): the key's scale, melody only, no chord, metre or key
    /// changes, with the probe's temperature and nucleus so only the constraints differ from the free probe.
    /// </summary>
    public static ProbeConstraints PluginMelody(SamplingSettings sampling, OriginalityIndex? originality) => new(
        new SamplerSettings
        {
            Temperature = (float)sampling.Temperature,
            TopP = (float)sampling.TopP,
            Strictness = PitchStrictness.ScaleTones,
            AllowChords = false,
            AllowMetreAndKeyChanges = false,
            AllowedVoices = 1 << (int)Voice.Melody,
        },
        originality);
}
