using CoPilot.Inference.Sampling;
using CoPilot.Inference.Tokens;
using CsCheck;

namespace CoPilot.Inference.Tests.Sampling;

public class OriginalityIndexTests
{
    private static readonly int[] Scale = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79];
    private static readonly int[] OutsideMidi = [60, 128, 64];
    private static readonly Gen<int[][]> Melodies = Gen.Int[55, 70].Array[0, 60].Array[1, 12];

    [Theory]
    [InlineData(RunMatching.ExactPitches)]
    [InlineData(RunMatching.Transposed)]
    public void Copied_continuations_are_exactly_the_ninth_notes_of_matching_training_runs(RunMatching matching)
    {
        Gen.Select(Melodies, Gen.Int[0, 1000], Gen.Int[-5, 5]).Sample(
            (melodies, pick, shift) =>
            {
                var index = OriginalityIndex.Build(melodies.Select(m => new ReadOnlyMemory<int>(m)), matching);

                // Eight pitches: often the start of a training run (possibly transposed), sometimes random.
                int[] all = [.. melodies.SelectMany(m => m)];
                int[] previous = new int[8];
                int[] host = melodies[pick % melodies.Length];
                for (int i = 0; i < 8; i++)
                {
                    previous[i] = host.Length >= 9 && pick % 3 != 0 ? host[(pick % (host.Length - 8)) + i] + shift : all.Length > 0 ? all[(pick + (i * 7)) % all.Length] : 60;
                }

                var expected = new SortedSet<int>();
                foreach (int[] melody in melodies)
                {
                    for (int s = 0; s + 9 <= melody.Length; s++)
                    {
                        int offset = matching == RunMatching.Transposed ? previous[0] - melody[s] : 0;
                        bool same = true;
                        for (int i = 0; i < 8 && same; i++)
                        {
                            same = melody[s + i] + offset == previous[i];
                        }

                        if (same && melody[s + 8] + offset is >= 0 and <= 127)
                        {
                            expected.Add(melody[s + 8] + offset);
                        }
                    }
                }

                var copies = default(TokenSet);
                int added = index.AddCopiedContinuations(previous, ref copies);
                var actual = new SortedSet<int>();
                for (int p = 0; p < 128; p++)
                {
                    if (copies.Contains(Vocabulary.PitchToken(p)))
                    {
                        actual.Add(p);
                        Assert.True(index.Contains([.. previous, p]));
                    }
                }

                Assert.Equal(expected, actual);
                Assert.Equal(expected.Count, added);
            },
            iter: 300,
            threads: 1);
    }

    [Fact]
    public void Transposed_matching_finds_a_tune_in_another_key_and_exact_matching_does_not()
    {
        int[] tune = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76];
        int[] up = [.. tune.Select(p => p + 3)];
        var transposed = OriginalityIndex.Build([tune], RunMatching.Transposed);
        var exact = OriginalityIndex.Build([tune], RunMatching.ExactPitches);
        Assert.True(transposed.Contains(up.AsSpan(1, 9)));
        Assert.False(exact.Contains(up.AsSpan(1, 9)));
        Assert.True(exact.Contains(tune.AsSpan(0, 9)));
        Assert.Equal(2, exact.Count);
    }

    [Theory]
    [InlineData(RunMatching.ExactPitches)]
    [InlineData(RunMatching.Transposed)]
    public void A_written_index_reads_back_the_same_and_takes_8_bytes_a_run(RunMatching matching)
    {
        var random = new Random(7);
        int[][] melodies = [.. Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 200).Select(_ => random.Next(48, 84)).ToArray())];
        var index = OriginalityIndex.Build(melodies.Select(m => new ReadOnlyMemory<int>(m)), matching);
        string path = Path.Combine(Path.GetTempPath(), $"copilot-originality-{Guid.NewGuid():N}.bin");
        try
        {
            index.Save(path);
            Assert.Equal(16 + (8L * index.Count), new FileInfo(path).Length);
            Assert.Equal(index.SizeInBytes, new FileInfo(path).Length);
            var loaded = OriginalityIndex.Load(path);
            Assert.Equal(index.Count, loaded.Count);
            Assert.Equal(matching, loaded.Matching);
            Assert.Equal(File.ReadAllBytes(path), Bytes(loaded));
            foreach (int[] melody in melodies.Take(5))
            {
                Assert.True(loaded.Contains(melody.AsSpan(17, 9)));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, int, byte[], string> Corruptions => new()
    {
        { "magic", 0, [(byte)'X'], "CPOI" },
        { "version", 4, [2], "format 2" },
        { "run length", 6, [8], "8-note runs" },
        { "matching", 7, [9], "unknown run matching" },
        { "count", 8, [200], "says 200 runs" },
        { "order", 16, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "not above" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_file_is_refused_with_what_is_wrong(string what, int offset, byte[] patch, string message)
    {
        byte[] bytes = Bytes(OriginalityIndex.Build([Scale], RunMatching.ExactPitches));
        patch.CopyTo(bytes, offset);
        var e = Assert.Throws<InvalidDataException>(() => OriginalityIndex.Read(new MemoryStream(bytes)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(what);
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        byte[] bytes = Bytes(OriginalityIndex.Build([Scale]));
        Assert.Throws<InvalidDataException>(() => OriginalityIndex.Read(new MemoryStream(bytes[..^3])));
        Assert.Throws<InvalidDataException>(() => OriginalityIndex.Read(new MemoryStream(bytes[..10])));
        Assert.Throws<InvalidDataException>(() => OriginalityIndex.Read(new MemoryStream([.. bytes, 0])));
    }

    [Fact]
    public void Pitches_outside_midi_are_refused_when_building()
    {
        Assert.Throws<ArgumentException>(() => OriginalityIndex.Build([OutsideMidi]));
    }

    private static byte[] Bytes(OriginalityIndex index)
    {
        using var stream = new MemoryStream();
        index.Write(stream);
        return stream.ToArray();
    }
}
