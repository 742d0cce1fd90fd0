using CoPilot.Core;
using CoPilot.Data;
using CoPilot.Inference;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;

namespace CoPilot.Cli.Generation;

/// <summary>What to continue and how.</summary>
/// <param name="Melody">The prompt melody, one note at a time, sorted.</param>
/// <param name="Metres">The metre map bars are counted in.</param>
/// <param name="KeyIndex">The key (as <see cref="Music.Key.Index"/>), -1 when unknown.</param>
/// <param name="Start">Beat of the bar line the continuation starts at.</param>
/// <param name="End">Beat it must end by.</param>
/// <param name="Bars">Bars to continue.</param>
/// <param name="KeyMask">Keep the model's notes in the key's scale.</param>
public sealed record ContinuationRequest(
    IReadOnlyList<Note> Melody,
    IReadOnlyList<TimeSignatureChange> Metres,
    int KeyIndex,
    Style Style,
    double Start,
    double End,
    int Bars,
    float Temperature,
    ulong Seed,
    bool KeyMask);

/// <summary>The notes a continuation wrote (in beats of the file) and how it ended, in words.</summary>
public sealed record ContinuationResult(IReadOnlyList<TrackNote> Notes, string Detail);

/// <summary>
/// Continues a melody with the model (<see cref="ContinuationGenerator"/> through the <see cref="ConstrainedSampler"/>),
/// or, when there is no model, with the live style learner (<see cref="ContinuatorGenerator"/>) trained on the
/// melody itself.
/// </summary>
public static class MelodyContinuer
{
    /// <summary>A rest of at least this many beats ends a phrase for the style learner, as a pause does live.</summary>
    public const double PhraseGapBeats = 1;

    /// <summary>The continuation keeps to the melody's register, widened by this many semitones each way.</summary>
    public const int RegisterMargin = 7;

    private const int MinimumBudget = 64;

    /// <summary>
    /// The model's continuation; null with the reason when the melody cannot be made a prompt for it (then the
    /// caller falls back to <see cref="WithStyleLearner"/>).
    /// </summary>
    public static ContinuationResult? WithModel(OnnxDecoder decoder, OriginalityIndex? originality, ContinuationRequest request, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(request);
        int context = decoder.ContextLength;

        // Room for the continuation: twice the melody's tokens per bar for every bar asked, at most half the context.
        int budget = Math.Clamp(request.Bars * 40, MinimumBudget, Math.Max(MinimumBudget, context / 2));
        ContinuationPrompt? prompt = ContinuationPrompt.Build(request.Melody, request.Metres, request.KeyIndex, request.Style, request.Start, Math.Max(1, context - budget), out problem);
        if (prompt is null)
        {
            return null;
        }

        int wanted = (int)Math.Ceiling((prompt.TokensPerBar * 2 * request.Bars) + 16);
        if (prompt.Tokens.Length + wanted < context && wanted < budget)
        {
            // A sparse melody leaves room: give the prompt more bars (the budget was only a bound).
            prompt = ContinuationPrompt.Build(request.Melody, request.Metres, request.KeyIndex, request.Style, request.Start, context - wanted, out problem) ?? prompt;
        }

        int lowest = request.Melody.Min(n => n.Pitch), highest = request.Melody.Max(n => n.Pitch);
        var settings = new SamplerSettings
        {
            Temperature = request.Temperature,
            Strictness = request.KeyMask ? PitchStrictness.ScaleTones : PitchStrictness.Chromatic,
            LowestPitch = Math.Max(Vocabulary.LowestPitch, lowest - RegisterMargin),
            HighestPitch = Math.Min(Vocabulary.HighestPitch, highest + RegisterMargin),
            AllowedVoices = 1 << (int)Voice.Melody,
            AllowChords = false,
            AllowMetreAndKeyChanges = false,
        };
        var generator = new ContinuationGenerator(new OnnxLogitsSource(decoder, batchedPrefill: true), new ConstrainedSampler(settings, request.Seed, originality));
        var output = new int[Math.Max(0, context - prompt.Tokens.Length)];

        // The prompt opened the first bar; the limit counts the Bar tokens after it. One bar is asked as two and cut,
        // since a limit of 0 means none.
        Continuation continuation = generator.Generate(prompt.Tokens, output, output.Length, Math.Max(1, request.Bars - 1), request.Seed);
        if (continuation.End == ContinuationEnd.PromptRejected)
        {
            problem = $"the sampler refused prompt token {continuation.PromptProblemIndex} ({Vocabulary.Describe(prompt.Tokens[continuation.PromptProblemIndex])})";
            return null;
        }

        int[] sequence = [.. prompt.Tokens, .. output.AsSpan(0, continuation.CompleteCount)];
        int from = prompt.ContinuationTick - prompt.FirstBarTick;
        int to = from + (request.Bars * prompt.BarTicks);
        var notes = new List<TrackNote>();
        var reader = new TokenReader(sequence);
        while (reader.Read(out TokenEvent e) == ReadOutcome.Event)
        {
            if (e.Kind == TokenEventKind.Note && e.Note.Onset >= from && e.Note.Onset < to)
            {
                double start = (e.Note.Onset + prompt.FirstBarTick) / (double)Vocabulary.TicksPerBeat;
                double duration = Math.Min(e.Note.Duration / (double)Vocabulary.TicksPerBeat, request.End - start);
                if (duration > 0)
                {
                    notes.Add(new TrackNote(start, duration, e.Note.Pitch, VelocityBuckets.Representative(e.Note.Velocity)));
                }
            }
        }

        // The reader stops at the end of the complete events with MissingEos, which is expected of a continuation.
        string detail = $"prompt {prompt.PromptBars} bars ({prompt.Tokens.Length} tokens), {continuation.Count} tokens generated, stopped: {continuation.End}";
        ConstrainedSampler sampler = generator.Sampler;
        if (sampler.OriginalityVetoes > 0 || sampler.RelaxedDraws > 0)
        {
            detail += $"; originality vetoes {sampler.OriginalityVetoes}, relaxed draws {sampler.RelaxedDraws}";
        }

        return new ContinuationResult(notes, detail);
    }

    /// <summary>
    /// The style learner's continuation: it learns the melody phrase by phrase (a rest of
    /// <see cref="PhraseGapBeats"/> ends one), then answers until the bars are full, each answer learned in turn
    /// so that the next continues from it. Creativity is half the temperature (1 → 0.5), at most 1.
    /// </summary>
    public static ContinuationResult WithStyleLearner(ContinuationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var learner = new ContinuatorGenerator();
        double? lastEnd = null;
        foreach (Note note in request.Melody)
        {
            if (lastEnd is double end && note.StartBeat - end >= PhraseGapBeats)
            {
                learner.EndPhrase();
            }

            Learn(learner, note.StartBeat, note.DurationBeats, note.Pitch, note.Velocity / 127f);
            lastEnd = note.EndBeat;
        }

        learner.EndPhrase();
        float creativity = Math.Clamp(request.Temperature * 0.5f, 0f, 1f);
        var answer = new GeneratedNote[ContinuatorGenerator.DefaultPhraseCapacity];
        var notes = new List<TrackNote>();
        double cursor = request.Start;
        int answers = 0;
        ulong seed = request.Seed;
        while (cursor < request.End - 1e-9)
        {
            var generation = new GenerationRequest(request.End - cursor, answer.Length, creativity, seed);
            int count = learner.Generate(generation, answer);
            if (count == 0)
            {
                break;
            }

            answers++;
            double answerEnd = cursor;
            for (int i = 0; i < count; i++)
            {
                GeneratedNote g = answer[i];
                double start = cursor + g.StartBeat;
                double duration = Math.Min(g.DurationBeats, request.End - start);
                if (duration <= 0)
                {
                    continue;
                }

                notes.Add(new TrackNote(start, duration, g.Pitch, Math.Clamp((int)Math.Round(g.Velocity * 127), 1, 127)));
                Learn(learner, start, duration, g.Pitch, g.Velocity);
                answerEnd = Math.Max(answerEnd, start + duration);
            }

            learner.EndPhrase();

            // The next answer after a breath: from the next beat after this one ends.
            cursor = Math.Floor(answerEnd + 1e-9) + 1;
            seed = (seed * 0x9E3779B97F4A7C15UL) + 0xD1B54A32D192ED03UL;
        }

        return new ContinuationResult(notes, $"{answers} answers, {learner.LearnedNotes} steps learned, creativity {creativity:0.##}");
    }

    private static void Learn(ContinuatorGenerator learner, double start, double duration, int pitch, float velocity)
    {
        learner.Observe(new NoteEvent(start, 0, -1, NoteEventKind.NoteOn, 0, (byte)pitch, Math.Max(velocity, 1f / 127)));
        learner.Observe(new NoteEvent(start + duration, 0, -1, NoteEventKind.NoteOff, 0, (byte)pitch, 0f));
    }
}
