using CoPilot.Data;
using CoPilot.Evaluation.Corpus;
using CoPilot.Inference.Tokens;

namespace CoPilot.Cli.Generation;

/// <summary>
/// The token prompt of a melody continuation: the header (style, ContinueMelody, key, metre), the last bars of
/// the melody that fit the model's context, and the Bar token that opens the first bar to continue.
/// </summary>
/// <param name="Tokens">The prompt, ending with that Bar token (no Eos).</param>
/// <param name="FirstBarTick">Grid tick (12 per beat from beat 0 of the file) of the first bar in the prompt.</param>
/// <param name="ContinuationTick">Grid tick of the bar the continuation starts in.</param>
/// <param name="BarTicks">Length of the continuation's bars in grid ticks (the last metre of the prompt).</param>
/// <param name="PromptBars">Bars of melody in the prompt (after cropping to the context).</param>
/// <param name="TokensPerBar">Tokens per bar of the whole melody, to size the continuation's budget.</param>
public sealed record ContinuationPrompt(int[] Tokens, int FirstBarTick, int ContinuationTick, int BarTicks, int PromptBars, double TokensPerBar)
{
    /// <summary>
    /// Builds the prompt for a continuation starting at beat <paramref name="startBeat"/> (a bar line), at most
    /// <paramref name="maxTokens"/> tokens; null with the reason when the melody cannot be put on the token grid
    /// (a metre without a token, say).
    /// </summary>
    /// <remarks>
    /// The melody goes through <see cref="SongQuantiser"/>, the same snapping and bar layout as the training
    /// corpus. It is quantised as a song of a set whose bars come from the metre map (Nottingham; POP909's come
    /// from beat annotations a lone file does not have), then given the requested style, and the key found in the
    /// file rather than a label.
    /// </remarks>
    public static ContinuationPrompt? Build(IReadOnlyList<Note> melody, IReadOnlyList<TimeSignatureChange> metres, int keyIndex, Style style, double startBeat, int maxTokens, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(melody);
        ArgumentNullException.ThrowIfNull(metres);
        if (QuantiseMelody(melody, metres, out problem) is not { } piece)
        {
            return null;
        }

        int continuationTick = (int)Math.Round(startBeat * Vocabulary.TicksPerBeat);
        List<int> barStarts = BarStarts(piece, continuationTick, out List<Metre> barMetres);
        int continuationBar = barStarts.IndexOf(continuationTick);
        if (continuationBar < 0)
        {
            problem = $"beat {startBeat} is not a bar line of the quantised melody";
            return null;
        }

        int fullCount = Encode(Crop(piece, barStarts, barMetres, keyIndex, style, 0, continuationBar), out _);
        double tokensPerBar = continuationBar == 0 ? 8 : (double)fullCount / continuationBar;

        // The fewer bars, the fewer tokens: find the earliest first bar whose prompt fits.
        int low = 0, high = continuationBar;
        while (low < high)
        {
            int mid = (low + high) / 2;
            if (Encode(Crop(piece, barStarts, barMetres, keyIndex, style, mid, continuationBar), out _) + 1 <= maxTokens)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        int count = Encode(Crop(piece, barStarts, barMetres, keyIndex, style, low, continuationBar), out int[] tokens);
        if (count + 1 > maxTokens)
        {
            problem = $"even an empty prompt ({count + 1} tokens) does not fit {maxTokens} tokens";
            return null;
        }

        // Encoded pieces end with Eos; the prompt instead opens the bar to continue, so nothing generated can
        // land in the prompt's bars or sound under its last notes.
        tokens[count - 1] = Vocabulary.Bar;
        int barTicks = barMetres[continuationBar].BarTicks;
        return new ContinuationPrompt(tokens[..count], barStarts[low], continuationTick, barTicks, continuationBar - low, tokensPerBar);
    }

    // Bar start ticks from 0 through the continuation's bar (the piece's bars, then more in its last metre).
    private static List<int> BarStarts(QuantisedPiece piece, int throughTick, out List<Metre> barMetres)
    {
        var starts = new List<int>();
        barMetres = [];
        ReadOnlySpan<MetreChange> metres = piece.Metres;
        int m = 0, tick = 0;
        for (int bar = 0; bar < piece.Bars || tick < throughTick; bar++)
        {
            if (m + 1 < metres.Length && metres[m + 1].Bar == bar)
            {
                m++;
            }

            starts.Add(tick);
            barMetres.Add(metres[m].Metre);
            tick += metres[m].Metre.BarTicks;
        }

        starts.Add(tick);
        barMetres.Add(metres[m].Metre);
        return starts;
    }

    private static QuantisedPiece Crop(QuantisedPiece piece, List<int> barStarts, List<Metre> barMetres, int keyIndex, Style style, int first, int end)
    {
        var metres = new List<MetreChange> { new(0, barMetres[first]) };
        for (int bar = first + 1; bar < end; bar++)
        {
            if (barMetres[bar] != barMetres[bar - 1])
            {
                metres.Add(new MetreChange(bar - first, barMetres[bar]));
            }
        }

        int from = barStarts[first], to = barStarts[end];
        var notes = new List<PieceNote>();
        foreach (PieceNote note in piece.Notes)
        {
            if (note.Onset >= from && note.Onset < to)
            {
                notes.Add(note with { Onset = note.Onset - from });
            }
        }

        return new QuantisedPiece(style, GenerationTask.ContinueMelody, end - first, metres, [new KeyChange(0, keyIndex)], notes, []);
    }

    /// <summary>
    /// A file's melody on the token grid (see the remarks of <see cref="Build"/>), null with the reason when it
    /// cannot be put there; the caller gives it its style, task and key.
    /// </summary>
    internal static QuantisedPiece? QuantiseMelody(IReadOnlyList<Note> melody, IReadOnlyList<TimeSignatureChange> metres, out string? problem)
    {
        problem = null;
        var song = new Song("prompt", CorpusSet.Nottingham, Split.Train, [.. melody.Select(n => n with { Voice = NottinghamLoader.MelodyVoice })], [], [], [], metres);
        QuantiseResult quantised = SongQuantiser.Quantise(song, CorpusView.Melody);
        if (quantised.Piece is null)
        {
            problem = $"the melody cannot be tokenized: {quantised.Rejection?.Detail}";
        }

        return quantised.Piece;
    }

    /// <summary>The tokens of a melody-only piece, with Eos; throws when it does not encode (a quantised melody always should).</summary>
    internal static int Encode(QuantisedPiece piece, out int[] tokens)
    {
        tokens = new int[16 + (piece.Bars * 3) + (piece.Notes.Length * 5)];
        EncodeResult result = TokenEncoder.Encode(piece, tokens);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"A quantised melody failed to encode: {result}.");
        }

        return result.Count;
    }
}
