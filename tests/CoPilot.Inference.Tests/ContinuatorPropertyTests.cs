using CsCheck;

namespace CoPilot.Inference.Tests;

public class ContinuatorPropertyTests
{
    /// <summary>Grids a player might use, in ticks of 1/12 beat: triplet sixteenths to quarters.</summary>
    private static readonly int[] GridTicks = [2, 3, 4, 6, 8, 12];

    /// <summary>
    /// Random phrases: a random scale and root, a random grid, several phrases of random length. The answer's
    /// window is a whole number of grid steps, so durations cut at its end stay on the grid too.
    /// </summary>
    private static readonly Gen<Session> Sessions =
        from root in Gen.Int[0, 11]
        from scale in Gen.Int[0, Scales.All.Length - 1]
        from grid in Gen.Int[0, GridTicks.Length - 1]
        from degrees in Gen.Int[0, 20].Array[1, 60]
        from multiples in Gen.Int[1, 4].Array[60]
        from phraseLength in Gen.Int[1, 20]
        from maxGridSteps in Gen.Int[1, 72]
        from maxNotes in Gen.Int[1, 48]
        from creativity in Gen.Int[0, 100]
        from seed in Gen.ULong
        select new Session(root, scale, GridTicks[grid], degrees, multiples, phraseLength, maxGridSteps * GridTicks[grid] / 12.0, maxNotes, creativity / 100f, seed);

    [Fact]
    public void Every_answer_stays_in_the_learned_pitch_classes_and_on_the_learned_grid()
    {
        Sessions.Sample(
            session =>
            {
                var generator = new ContinuatorGenerator();
                bool[] learned = new bool[12];
                double grid = session.GridTicks / 12.0;
                double offset = 0;
                for (int first = 0; first < session.Degrees.Length; first += session.PhraseLength)
                {
                    int count = Math.Min(session.PhraseLength, session.Degrees.Length - first);
                    var phrase = new PlayedNote[count];
                    double t = 0;
                    for (int i = 0; i < count; i++)
                    {
                        int[] scale = Scales.All[session.Scale];
                        int degree = session.Degrees[first + i];
                        byte pitch = (byte)(48 + session.Root + scale[degree % scale.Length] + (12 * (degree / scale.Length)));
                        learned[pitch % 12] = true;
                        double ioi = session.Multiples[first + i] * grid;
                        phrase[i] = new PlayedNote(t, ioi, pitch);
                        t += ioi;
                    }

                    PhrasePlayer.Play(generator, phrase, offset);
                    offset += Math.Ceiling(t) + 2;
                }

                GeneratedNote[] answer = PhrasePlayer.Answer(generator, session.MaxBeats, session.MaxNotes, session.Creativity, session.Seed);
                if (answer.Length == 0)
                {
                    return false; // something was learned, so the answer is never silent
                }

                ContinuatorGeneratorTests.AssertWellFormed(answer, session.MaxBeats, session.MaxNotes, grid, learned);
                return true;
            },
            iter: 400,
            threads: 1);
    }

    internal sealed record Session(
        int Root, int Scale, int GridTicks, int[] Degrees, int[] Multiples, int PhraseLength, double MaxBeats, int MaxNotes, float Creativity, ulong Seed);
}
