using CoPilot.Core;

namespace CoPilot.Inference;

/// <summary>A note of a generated answer, in beats relative to the answer's start.</summary>
/// <param name="StartBeat">Onset in quarter notes from the start of the answer (0 = first possible moment).</param>
/// <param name="DurationBeats">Length in quarter notes (&gt; 0).</param>
/// <param name="Pitch">MIDI pitch 0-127.</param>
/// <param name="Velocity">0-1.</param>
public readonly record struct GeneratedNote(double StartBeat, double DurationBeats, byte Pitch, float Velocity);

/// <summary>What the engine asks for when the player's phrase ended.</summary>
/// <param name="MaxBeats">Longest answer wanted, in quarter notes (e.g. the length of the player's phrase).</param>
/// <param name="MaxNotes">Capacity of the output span the caller provides.</param>
/// <param name="Creativity">0 = stay as close to the player's material as possible, 1 = wander freely.</param>
/// <param name="Seed">Seed for this answer's random choices (deterministic for tests and replays).</param>
/// <param name="Style">The style asked for (CoPilot.Inference.Tokens.Style); generators without a notion of style ignore it.</param>
public readonly record struct GenerationRequest(double MaxBeats, int MaxNotes, float Creativity, ulong Seed, byte Style = 0);

/// <summary>
/// Something that learns from what the player plays and answers with a phrase.
/// </summary>
/// <remarks>
/// [inference thread] only. Implementations allocate everything they need up front (bounded memory) and
/// allocate nothing in <see cref="Observe"/>, <see cref="EndPhrase"/> and <see cref="Generate"/>: a
/// garbage collection on any plugin thread stalls the audio thread.
/// </remarks>
public interface IPhraseGenerator
{
    /// <summary>How many notes of the player's it currently remembers (shown to the musician).</summary>
    int LearnedNotes { get; }

    /// <summary>Feeds one of the player's note events, in time order (both note-ons and note-offs).</summary>
    void Observe(in NoteEvent e);

    /// <summary>The player's phrase ended (a pause): learn it as a unit.</summary>
    void EndPhrase();

    /// <summary>Writes an answer into <paramref name="output"/>, sorted by start; returns the count (0 = stay silent).</summary>
    int Generate(in GenerationRequest request, Span<GeneratedNote> output);

    /// <summary>Forgets everything learned (a new song, a state load).</summary>
    void Reset();

    /// <summary>
    /// The host's time signature, told before the notes played in it. Generators that count bars follow it; the
    /// others ignore it.
    /// </summary>
    void SetMetre(int numerator, int denominator)
    {
    }
}
