using CoPilot.Cli.Analysis;
using CoPilot.Music;

namespace CoPilot.Cli.Evaluation;

/// <summary>
/// Plays a song's notes into a <see cref="LiveKeyTracker"/> in time order, as the plugin would hear them, and
/// reads the tracker's key at a given beat.
/// </summary>
public static class LiveKeyCheck
{
    /// <summary>The tracker's reported key at <paramref name="atBeat"/>, or null when it has not reported one yet.</summary>
    public static Key? KeyAt(LiveKeyTracker tracker, AnalysedSong song, double atBeat)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(song);
        tracker.Reset();

        // Note-ons and note-offs in time order; at equal times the offs go first, as a sequencer sends them.
        var events = new List<(double Beat, bool On, int Pitch, float Velocity)>(2 * song.Notes.Count);
        foreach (AnalysedNote n in song.Notes)
        {
            if (n.StartBeat < atBeat)
            {
                events.Add((n.StartBeat, true, n.Pitch, n.Velocity));
                if (n.EndBeat <= atBeat)
                {
                    events.Add((n.EndBeat, false, n.Pitch, 0));
                }
            }
        }

        events.Sort(static (a, b) => a.Beat != b.Beat ? a.Beat.CompareTo(b.Beat) : a.On.CompareTo(b.On));
        foreach ((double beat, bool on, int pitch, float velocity) in events)
        {
            if (on)
            {
                tracker.NoteOn(pitch, beat, velocity);
            }
            else
            {
                tracker.NoteOff(pitch, beat);
            }
        }

        tracker.Advance(atBeat);
        return tracker.HasKey ? tracker.Key : null;
    }
}
