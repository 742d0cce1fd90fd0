namespace CoPilot.Inference;

/// <summary>
/// One step of a learned phrase: the item the Continuator's Markov model is built over.
/// </summary>
/// <remarks>
/// Following Pachet (2003), contexts are matched on a reduction of the item (its pitch) while the continuation
/// that is played is the whole item: pitch, the rhythm that followed it and its velocity travel together, so
/// a continuation keeps the player's phrasing, not only their notes.
/// </remarks>
/// <param name="Pitch">MIDI pitch of the step (the top note of a chord).</param>
/// <param name="IoiTicks">Inter-onset interval to the next step of the phrase, in <see cref="RhythmGrid"/> ticks.
/// The last step of a phrase repeats the interval before it (or its own duration in a one-note phrase), so
/// an answer that runs on past a phrase end stays on the player's grid.</param>
/// <param name="DurationTicks">How long the note sounded, in ticks (at least 1).</param>
/// <param name="Velocity">0-1 as played.</param>
/// <param name="EndsPhrase">The last step of its phrase: a learned place to stop.</param>
internal readonly record struct LearnedStep(byte Pitch, short IoiTicks, short DurationTicks, float Velocity, bool EndsPhrase);
