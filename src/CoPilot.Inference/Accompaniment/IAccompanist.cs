using CoPilot.Core;

namespace CoPilot.Inference.Accompaniment;

/// <summary>What the engine asks for at a chord slot (Accompany mode).</summary>
/// <param name="StartBeat">Engine beat where the slot starts: a bar line, or the half bar of an even metre.</param>
/// <param name="SlotBeats">How long the slot lasts, in quarter notes; the chord holds for all of it.</param>
/// <param name="Creativity">0 = the likeliest chord, 1 = adventurous choices.</param>
/// <param name="Seed">Seed for this slot's random choices.</param>
/// <param name="Style">The style asked for (CoPilot.Inference.Tokens.Style order).</param>
public readonly record struct ChordSlotRequest(double StartBeat, double SlotBeats, float Creativity, ulong Seed, byte Style = 0);

/// <summary>
/// Something that listens to the player's melody and, slot by slot, plays chords under it: the live accompanist.
/// </summary>
/// <remarks>
/// [inference thread] only, after construction. Nothing here allocates: a collection on any plugin thread stalls
/// the audio thread. Each slot's chord is chosen from what was played <em>before</em> the slot (the audio thread asks
/// a moment ahead), as an accompanist who hears the tune for the first time must.
/// </remarks>
public interface IAccompanist
{
    /// <summary>The chord now played, <see cref="Music.Chord.None"/> before the first.</summary>
    Music.Chord Sounding { get; }

    /// <summary>One of the player's note events, in time order.</summary>
    void Observe(in NoteEvent e);

    /// <summary>Writes the chord for the slot into <paramref name="output"/> (starts relative to the slot); returns the count, 0 for silence.</summary>
    int Accompany(in ChordSlotRequest request, Span<GeneratedNote> output);

    /// <summary>The host's time signature, told before the notes played in it.</summary>
    void SetMetre(int numerator, int denominator);

    /// <summary>Forgets the song (a state load, a jump of the timeline).</summary>
    void Reset();
}
