using CoPilot.Core;

namespace CoPilot.Inference;

/// <summary>
/// The live style learner: a variable-order Markov model of the player's own phrases in this session that
/// continues them in their key and rhythm, after F. Pachet, "The Continuator: Musical Interaction with Style"
/// (Journal of New Music Research 32(3), 2003).
/// </summary>
/// <remarks>
/// <para>
/// Learning: each phrase becomes a sequence of <see cref="LearnedStep"/>s (a chord is one step, its top note;
/// rhythm quantised to twelve ticks a beat) appended to a <see cref="PhraseMemory"/> and indexed by pitch
/// context in a <see cref="ContextTree"/>, orders 1 to <see cref="MaxOrder"/>. Pitches are learned as played,
/// not in the twelve transpositions Pachet also offers: transposing would take the answer out of the
/// player's key, and the co-pilot's promise is to stay in it.
/// </para>
/// <para>
/// Answering: the tail of the last learned phrase is the context. Each step takes the longest context that
/// has continuations, drops to shorter ones with probability <see cref="GenerationRequest.Creativity"/> per
/// order, prefers with probability 1 - creativity the step that follows the previous one in the same learned
/// phrase (Pachet's continuity: at creativity 0 the answer replays what the player once played after this
/// context), and otherwise picks among the context's continuations at random. Every note of an answer is a
/// learned step, so pitches stay in the player's pitch set and onsets on their grid whatever the creativity.
/// At a learned phrase end the answer stops, except with probability creativity / 2, so answers have phrase shape.
/// </para>
/// <para>
/// [inference thread]. Everything is allocated in the constructor; <see cref="Observe"/>, <see cref="EndPhrase"/>,
/// <see cref="Generate"/> and <see cref="Reset"/> allocate nothing.
/// </para>
/// </remarks>
public sealed class ContinuatorGenerator : IPhraseGenerator
{
    /// <summary>Learned steps kept: a few minutes of dense playing.</summary>
    public const int DefaultStepCapacity = 4096;

    /// <summary>Pachet's trees go to about this depth: long enough to quote a motif, short enough to recombine.</summary>
    public const int DefaultMaxOrder = 6;

    /// <summary>Notes in one phrase; a longer run without a pause is learned in pieces of this size.</summary>
    public const int DefaultPhraseCapacity = 512;

    /// <summary>At creativity 1 an answer runs on past a learned phrase end half the time.</summary>
    private const float PhraseEndCrossing = 0.5f;

    private readonly PhraseAssembler _assembler;
    private readonly PhraseMemory _memory;
    private readonly ContextTree _tree;
    private readonly LearnedStep[] _phrase;

    /// <summary>The pitches the answer continues from, oldest first, at most <see cref="MaxOrder"/>.</summary>
    private readonly byte[] _context;

    /// <summary>The tree nodes matched for each order of the current context (index = order).</summary>
    private readonly int[] _path;

    public ContinuatorGenerator(
        int stepCapacity = DefaultStepCapacity,
        int maxOrder = DefaultMaxOrder,
        int phraseCapacity = DefaultPhraseCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(phraseCapacity, 1);

        // Forgetting keeps half the memory, and a whole phrase must fit beside it.
        ArgumentOutOfRangeException.ThrowIfLessThan(stepCapacity, 2 * phraseCapacity);
        MaxOrder = maxOrder;
        _assembler = new PhraseAssembler(phraseCapacity);
        _memory = new PhraseMemory(stepCapacity);
        _tree = new ContextTree(stepCapacity, maxOrder);
        _phrase = new LearnedStep[phraseCapacity];
        _context = new byte[maxOrder];
        _path = new int[maxOrder + 1];
    }

    public int MaxOrder { get; }

    /// <summary>Steps currently remembered (bounded by the step capacity).</summary>
    public int LearnedStepCount => _memory.Count;

    public int LearnedNotes => _memory.Count;

    /// <inheritdoc/>
    public void Observe(in NoteEvent e)
    {
        // Rhythm is learned in beats, not samples: the player's grid survives tempo changes. Events with
        // a clock the host could not give, or out-of-range channel or pitch, are not music to learn from.
        if (!double.IsFinite(e.Beat) || e.Channel > 15 || e.Pitch > 127)
        {
            return;
        }

        // A note-on of velocity 0 is a note-off in MIDI, and some hosts forward it unchanged.
        if (e.IsNoteOn && e.Velocity > 0f)
        {
            if (_assembler.IsFull)
            {
                // A run with no pause longer than a phrase can hold: learn what came so far as a phrase.
                Learn();
            }

            _assembler.NoteOn(e.Beat, e.Channel, e.Pitch, e.Velocity);
        }
        else
        {
            _assembler.NoteOff(e.Beat, e.Channel, e.Pitch);
        }
    }

    /// <inheritdoc/>
    public void EndPhrase() => Learn();

    /// <inheritdoc/>
    public int Generate(in GenerationRequest request, Span<GeneratedNote> output)
    {
        int maxNotes = Math.Min(request.MaxNotes, output.Length);
        double maxBeats = request.MaxBeats;
        if (_memory.Count == 0 || maxNotes <= 0 || !(maxBeats > 0))
        {
            // Nothing learned yet: stay silent rather than invent material that is not the player's.
            return 0;
        }

        float creativity = request.Creativity;
        creativity = creativity >= 0f ? Math.Min(creativity, 1f) : 0f; // NaN counts as 0
        var random = new SplitMix64(request.Seed);

        int contextLength = 0;
        for (int i = Math.Max(_memory.LastPhraseStart, _memory.Count - MaxOrder); i < _memory.Count; i++)
        {
            _context[contextLength++] = _memory[i].Pitch;
        }

        // The context's last note is the last learned step: "continue where the player left off".
        int previous = _memory.Count - 1;
        long onsetTicks = 0;
        int written = 0;
        while (written < maxNotes)
        {
            double start = RhythmGrid.ToBeats(onsetTicks);
            if (start >= maxBeats)
            {
                break;
            }

            int source = ChooseContinuation(contextLength, previous, creativity, ref random);
            if (source < 0)
            {
                if (written > 0)
                {
                    // A dead end: nothing the player played ever followed this. Their phrase would end here too.
                    break;
                }

                // The player's last notes never led anywhere yet: begin the way one of their phrases begins.
                source = _memory.PhraseStartOf(random.NextInt(_memory.Count));
            }

            ref readonly LearnedStep step = ref _memory[source];
            if (written > 0)
            {
                // One melodic voice: a note ends when the next begins, so a held phrase-final note cannot
                // overlap the next (and the same key is never struck while it still sounds).
                ref GeneratedNote last = ref output[written - 1];
                last = last with { DurationBeats = Math.Min(last.DurationBeats, start - last.StartBeat) };
            }

            double duration = Math.Min(RhythmGrid.ToBeats(step.DurationTicks), maxBeats - start);
            output[written++] = new GeneratedNote(start, duration, step.Pitch, step.Velocity);

            contextLength = PushContext(contextLength, step.Pitch);
            previous = source;
            onsetTicks += step.IoiTicks;

            if (step.EndsPhrase && random.NextFloat() >= creativity * PhraseEndCrossing)
            {
                break;
            }
        }

        return written;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _assembler.Clear();
        _memory.Clear();
        _tree.Clear();
    }

    private void Learn()
    {
        int count = _assembler.TakePhrase(_phrase);
        if (count == 0)
        {
            return;
        }

        if (_memory.Append(_phrase.AsSpan(0, count)))
        {
            // Old phrases were forgotten and every index moved: index what is left from scratch. This runs at
            // most once per half a memory of new steps, a few hundred microseconds each time.
            _tree.Clear();
            ReadOnlySpan<LearnedStep> steps = _memory.Steps;
            int phraseStart = 0;
            for (int i = 0; i < steps.Length; i++)
            {
                _tree.Learn(steps, phraseStart, i);
                if (steps[i].EndsPhrase)
                {
                    phraseStart = i + 1;
                }
            }
        }
        else
        {
            ReadOnlySpan<LearnedStep> steps = _memory.Steps;
            int phraseStart = _memory.LastPhraseStart;
            for (int i = phraseStart; i < steps.Length; i++)
            {
                _tree.Learn(steps, phraseStart, i);
            }
        }
    }

    /// <summary>
    /// Picks the learned step that continues the context, or -1 when no context of order 1 or more matched.
    /// </summary>
    private int ChooseContinuation(int contextLength, int previous, float creativity, ref SplitMix64 random)
    {
        int node = ContextTree.Root;
        int depth = 0;
        while (depth < contextLength)
        {
            int child = _tree.Child(node, _context[contextLength - 1 - depth]);
            if (child < 0)
            {
                break;
            }

            node = child;
            depth++;
            _path[depth] = node;
        }

        if (depth == 0)
        {
            return -1;
        }

        // Variable order: the longest match is the most faithful; creativity lets go of the oldest notes
        // of the context one by one, which widens the choice among things the player really played.
        int order = depth;
        while (order > 1 && random.NextFloat() < creativity)
        {
            order--;
        }

        node = _path[order];
        if (random.NextFloat() >= creativity && _tree.HasContinuation(node, previous + 1))
        {
            return previous + 1;
        }

        return _tree.Continuation(node, random.NextInt(_tree.ContinuationCount(node)));
    }

    private int PushContext(int contextLength, byte pitch)
    {
        if (contextLength == _context.Length)
        {
            Array.Copy(_context, 1, _context, 0, contextLength - 1);
            contextLength--;
        }

        _context[contextLength] = pitch;
        return contextLength + 1;
    }
}
