using CoPilot.Music;

namespace CoPilot.Music.Tests;

public class HarmonizerTests
{
    private static readonly Key CMajor = Key.Major(NoteName.Default(PitchClass.C));
    private static readonly Key AMinor = Key.Minor(NoteName.Default(PitchClass.A));

    private static Chord C(string name) => Chord.TryParse(name, out Chord chord) ? chord : throw new ArgumentException(name);

    private static void AssertWellFormed(ReadOnlySpan<Voicing> voicings)
    {
        for (int i = 0; i < voicings.Length; i++)
        {
            Voicing v = voicings[i];
            Assert.InRange(v.Alto, Harmonizer.AltoLow, Harmonizer.AltoHigh);
            Assert.InRange(v.Tenor, Harmonizer.TenorLow, Harmonizer.TenorHigh);
            Assert.InRange(v.Bass, Harmonizer.BassLow, Harmonizer.BassHigh);
            Assert.Equal(0, VoiceLeading.CountCrossings(v));
            Assert.True(v.Soprano - v.Alto <= 12 && v.Alto - v.Tenor <= 12, $"spacing at {i}: {v}");
            if (i > 0)
            {
                Assert.Equal(0, VoiceLeading.CountParallels(voicings[i - 1], v));
            }
        }
    }

    [Fact]
    public void Textbook_progression_I_IV_V_I_has_no_parallels_no_crossing_and_stays_in_range()
    {
        // E5 F5 D5 C5 over C F G C: the parallel-fifth trap of I–IV–V is the root-position IV→V.
        int[] melody = [76, 77, 74, 72];
        Chord[] chords = [C("C"), C("F"), C("G"), C("C")];
        var harmonizer = new Harmonizer(CMajor);
        var output = new Voicing[melody.Length];
        harmonizer.Harmonize(melody, chords, output);

        AssertWellFormed(output);
        for (int i = 0; i < melody.Length; i++)
        {
            Assert.Equal(melody[i], output[i].Soprano);
            foreach (int p in new[] { output[i].Alto, output[i].Tenor, output[i].Bass })
            {
                Assert.True(chords[i].PitchClasses.Contains(new PitchClass(p)), $"{new Pitch(p)} not in {chords[i]} at {i}");
            }
        }

        Assert.Equal(0, output[3].Bass % 12); // final tonic in root position
    }

    [Fact]
    public void Chosen_chords_on_a_longer_melody_keep_the_rules()
    {
        // "Ode to joy" in C, harmonised with chords of the harmoniser's choosing.
        int[] melody = [64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64, 64, 62, 62, 64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64, 62, 60, 60];
        var output = new Voicing[melody.Length];
        new Harmonizer(CMajor).Harmonize(melody.Select(p => p + 12).ToArray(), [], output);
        AssertWellFormed(output);
        Assert.Equal(0, output[^1].Bass % 12);
    }

    [Fact]
    public void A_minor_cadence_uses_G_sharp_as_the_leading_note_in_V()
    {
        // C5 B4 A4: B over the dominant, then the tonic.
        int[] melody = [72, 71, 69];
        var output = new Voicing[melody.Length];
        new Harmonizer(AMinor).Harmonize(melody, [], output);
        Voicing dominant = output[1];
        int[] lower = [dominant.Alto, dominant.Tenor, dominant.Bass];
        Assert.Contains(lower, p => p % 12 == 8);    // G#
        Assert.DoesNotContain(lower, p => p % 12 == 7); // no G natural
        Assert.All(lower, p => Assert.True(p % 12 is 4 or 8 or 11)); // E-G#-B: V
        Assert.Equal(9, output[2].Bass % 12);        // A

        // Live, note by note, the same.
        var live = new Harmonizer(AMinor);
        Span<int> harmony = stackalloc int[3];
        live.Step(72, harmony);
        live.Step(71, harmony);
        Assert.True(harmony[0] % 12 == 8 || harmony[1] % 12 == 8 || harmony[2] % 12 == 8, $"{live.Previous}");
    }

    [Fact]
    public void Doubling_prefers_the_root_and_never_doubles_the_leading_note()
    {
        var harmonizer = new Harmonizer(CMajor);
        Span<int> harmony = stackalloc int[3];

        // Soprano E5 over C major: root position, and the doubled note is the root C.
        harmonizer.Step(76, C("C"), harmony);
        Voicing v = harmonizer.Previous;
        int[] pcs = [v.Soprano % 12, v.Alto % 12, v.Tenor % 12, v.Bass % 12];
        Assert.Equal(2, pcs.Count(p => p == 0));
        Assert.Equal(1, pcs.Count(p => p == 4));
        Assert.Equal(1, pcs.Count(p => p == 7));

        // Soprano B4 (the leading note) over G: no other voice takes B, from any previous voicing.
        foreach (int previous in new[] { 72, 76, 79, 67 })
        {
            harmonizer.Reset();
            harmonizer.Step(previous, C("C"), harmony);
            harmonizer.Step(71, C("G"), harmony);
            Voicing g = harmonizer.Previous;
            Assert.DoesNotContain(new[] { g.Alto, g.Tenor, g.Bass }, p => p % 12 == 11);
        }
    }

    [Fact]
    public void Parallel_detector_on_known_examples()
    {
        // C4-G4 to D4-A4: parallel fifths.
        Assert.True(VoiceLeading.IsParallelPerfect(67, 60, 69, 62));
        // Octaves C3-C4 to D3-D4, and unisons moving together.
        Assert.True(VoiceLeading.IsParallelPerfect(60, 48, 62, 50));
        Assert.True(VoiceLeading.IsParallelPerfect(60, 60, 62, 62));
        // A fifth to a twelfth in similar motion is still a parallel fifth.
        Assert.True(VoiceLeading.IsParallelPerfect(67, 60, 81, 62));
        // Contrary motion C4-G4 to G3-D5 (fifth to twelfth): not parallel.
        Assert.False(VoiceLeading.IsParallelPerfect(67, 60, 74, 55));
        // Oblique motion, or a fifth to a sixth: not parallel.
        Assert.False(VoiceLeading.IsParallelPerfect(67, 60, 67, 62));
        Assert.False(VoiceLeading.IsParallelPerfect(67, 60, 69, 60));
        Assert.False(VoiceLeading.IsParallelPerfect(67, 60, 71, 62));
        // Fifth to octave (different perfect intervals): not counted here.
        Assert.False(VoiceLeading.IsParallelPerfect(67, 60, 74, 62));

        // Across voicings: soprano/bass fifths in C-G / D-A, alto/tenor moving contrary.
        var before = new Voicing(67, 64, 55, 48);
        var after = new Voicing(69, 62, 57, 50);
        // S-B twelfths and T-B fifths move in parallel, and so does the S-T octave; A moves down, against them.
        Assert.Equal(3, VoiceLeading.CountParallels(before, after, out int fifths, out int octaves));
        Assert.Equal(2, fifths);
        Assert.Equal(1, octaves);
        Assert.Equal(1, VoiceLeading.CountCrossings(new Voicing(67, 64, 66, 48)));
    }

    [Fact]
    public void Live_step_allocates_nothing_after_warm_up()
    {
        var harmonizer = new Harmonizer(AMinor);
        int[] melody = [69, 71, 72, 74, 76, 74, 72, 71, 69, 68, 69, 76, 77, 76, 74, 72, 71, 69];
        var harmony = new int[3];
        Chord e = C("E");
        for (int i = 0; i < 200; i++)
        {
            harmonizer.Step(melody[i % melody.Length], i % 7 == 0 ? e : Chord.None, harmony);
        }

        harmonizer.Reset();
        int failures = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            int n = harmonizer.Step(melody[i % melody.Length], i % 7 == 0 ? e : Chord.None, harmony);
            if (n != 3 || harmony[2] < Harmonizer.BassLow || harmony[0] > melody[i % melody.Length])
            {
                failures++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0L, allocated);
    }

    [Fact]
    public void Fewer_harmony_voices_write_alto_and_bass_or_bass_alone()
    {
        Span<int> harmony = stackalloc int[3];
        var two = new Harmonizer(CMajor, 2);
        Assert.Equal(2, two.Step(76, harmony));
        Assert.True(harmony[0] > harmony[1]);
        Assert.Equal(Voicing.Absent, two.Previous.Tenor);
        var one = new Harmonizer(CMajor, 1);
        Assert.Equal(1, one.Step(76, harmony));
        Assert.InRange(harmony[0], Harmonizer.BassLow, Harmonizer.BassHigh);
    }
}
