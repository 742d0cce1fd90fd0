using System.Buffers.Binary;
using CoPilot.Cli.Bench;
using CoPilot.Cli.Generation;
using CoPilot.Data;
using CoPilot.Export;
using CoPilot.Inference.Generation;
using CoPilot.Inference.Onnx;
using CoPilot.Inference.Sampling;
using CoPilot.Music;
using NAudio.Midi;

namespace CoPilot.Cli.Tests;

/// <summary>copilot continue, harmonize and accompany, end to end: the written file read back.</summary>
public sealed class GenerationCommandTests : IDisposable
{
    private static readonly int[] ScaleRun = [60, 62, 64, 65, 67, 69, 71, 72, 74];

    private const int Ppq = 480;

    // Four bars of 4/4 in C major (eighths and quarters), ending on the tonic: bars 0-3, beats 0-16.
    private static readonly (int Pitch, int Start, int Length)[] CMajorTune =
    [
        (60, 0, 480), (64, 480, 480), (67, 960, 480), (64, 1440, 480),
        (65, 1920, 240), (67, 2160, 240), (69, 2400, 480), (67, 2880, 960),
        (64, 3840, 480), (62, 4320, 480), (60, 4800, 480), (62, 5280, 480),
        (64, 5760, 240), (62, 6000, 240), (59, 6240, 480), (60, 6720, 960),
    ];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"copilot-generation-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public GenerationCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Continue_with_a_missing_model_says_so_and_continues_after_the_prompt_with_the_style_learner()
    {
        string input = SmallFile();
        string output = Path.Combine(_dir, "out.mid");
        string missing = Path.Combine(_dir, "no-such-model.onnx");
        var (code, console, _) = ChordsCommandTests.Run("continue", input, "--bars", "4", "--seed", "11", "--model", missing, "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"model {missing} missing (", console, StringComparison.Ordinal);
        Assert.Contains("using the style learner", console, StringComparison.Ordinal);
        Assert.Contains("key C major", console, StringComparison.Ordinal);

        MidiSong written = MidiReader.Read(output);
        List<Note> generated = Generated(written);
        Assert.NotEmpty(generated);

        // The tune ends at beat 16, a bar line: four bars of 4/4 follow.
        Assert.All(generated, n => Assert.InRange(n.StartBeat, 16, 32 - 1e-9));
        Assert.All(generated, n => Assert.True(n.EndBeat <= 32 + 1e-9, $"{n} rings past the 4 bars"));

        // The learner only plays what it learned: every pitch is one of the tune's.
        var tunePitches = CMajorTune.Select(n => n.Pitch).ToHashSet();
        Assert.All(generated, n => Assert.Contains(n.Pitch, tunePitches));
        AssertOriginalTracksUnchanged(input, output);
        AssertMarked(output, "style learner", "seed 11");
    }

    [Fact]
    public void Continue_with_a_corrupt_model_says_so_and_falls_back()
    {
        string corrupt = Path.Combine(_dir, "corrupt.onnx");
        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(corrupt, bytes);
        string output = Path.Combine(_dir, "out.mid");
        var (code, console, _) = ChordsCommandTests.Run("continue", SmallFile(), "--seed", "3", "--model", corrupt, "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"model {corrupt} corrupt (", console, StringComparison.Ordinal);
        Assert.Contains("using the style learner", console, StringComparison.Ordinal);
        Assert.NotEmpty(Generated(MidiReader.Read(output)));
    }

    [Fact]
    public void Continue_is_deterministic_for_a_seed_and_varies_with_it()
    {
        string input = Pop909("001");
        string missing = Path.Combine(_dir, "none.onnx");
        byte[] Continue(int seed, string name)
        {
            string output = Path.Combine(_dir, name);
            var (code, _, _) = ChordsCommandTests.Run("continue", input, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--model", missing, "--out", output);
            Assert.Equal(ExitCodes.Ok, code);
            return File.ReadAllBytes(output);
        }

        byte[] first = Continue(42, "a.mid");
        Assert.Equal(first, Continue(42, "b.mid"));
        var others = Enumerable.Range(1, 3).Select(s => Continue(s, $"s{s}.mid")).ToList();
        Assert.Contains(others, o => !o.AsSpan().SequenceEqual(first));
    }

    [Fact]
    public void Continue_with_a_model_samples_in_key_after_the_prompt_and_is_deterministic()
    {
        // Random weights of the exported decoder's format: the notes are noise, but they go through the real
        // loader, prompt, sampler, key mask and decoding. Its context of 128 tokens makes POP909's melody a cropped prompt.
        string model = Path.Combine(_dir, "random.onnx");
        var config = new TransformerConfig(VocabSize: Inference.Tokens.Vocabulary.Size, ContextLength: 128, Layers: 1, Dim: 64, Heads: 4);
        DecoderExporter.Write(RandomDecoderWeights.Create(config, seed: 9), OnnxWeightFormat.Float32, "test", model);
        WriteOriginalityIndex();

        string input = Pop909("001");
        string output = Path.Combine(_dir, "model.mid");
        var (code, console, _) = ChordsCommandTests.Run("continue", input, "--bars", "4", "--seed", "5", "--model", model, "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.DoesNotContain("style learner", console, StringComparison.Ordinal);
        Assert.Contains("by the model random.onnx", console, StringComparison.Ordinal);

        MidiSong original = MidiReader.Read(input);
        MidiSong written = MidiReader.Read(output);
        List<Note> generated = Generated(written);
        Assert.NotEmpty(generated);
        double end = original.Notes.Max(n => n.EndBeat);
        Assert.All(generated, n => Assert.True(n.StartBeat >= end - 1e-9, $"{n} starts before the end of the file's music at beat {end}"));

        // The key mask: 001 is in F# major, and every drawn pitch is in its scale.
        Assert.True(Key.TryParse("F# major", out Key key));
        Assert.All(generated, n => Assert.True(key.Contains(new PitchClass(n.Pitch)), $"{n} is out of {key}"));
        AssertOriginalTracksUnchanged(input, output);
        AssertMarked(output, "model random.onnx", "seed 5");

        string again = Path.Combine(_dir, "model-again.mid");
        Assert.Equal(ExitCodes.Ok, ChordsCommandTests.Run("continue", input, "--bars", "4", "--seed", "5", "--model", model, "--out", again).Code);
        Assert.Equal(File.ReadAllBytes(output), File.ReadAllBytes(again));
    }

    [Fact]
    public void Continue_with_a_model_but_no_originality_index_answers_with_the_style_learner()
    {
        string model = Path.Combine(_dir, "unguarded", "random.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        var config = new TransformerConfig(VocabSize: Inference.Tokens.Vocabulary.Size, ContextLength: 128, Layers: 1, Dim: 64, Heads: 4);
        DecoderExporter.Write(RandomDecoderWeights.Create(config, seed: 9), OnnxWeightFormat.Float32, "test", model);

        string output = Path.Combine(_dir, "unguarded.mid");
        var (code, console, _) = ChordsCommandTests.Run("continue", Pop909("001"), "--bars", "2", "--model", model, "--out", output);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("No originality index", console, StringComparison.Ordinal);
        Assert.Contains("style learner", console, StringComparison.Ordinal);
        Assert.NotEmpty(Generated(MidiReader.Read(output)));
    }

    private void WriteOriginalityIndex() =>
        OriginalityIndex.Build([ScaleRun]).Save(Path.Combine(_dir, ModelLoader.OriginalityFileName));

    [Fact]
    public void Continue_of_a_pop909_song_keeps_its_tracks_and_writes_beside_the_input_by_default()
    {
        string input = Path.Combine(_dir, "001.mid");
        File.Copy(Pop909("001"), input);
        var (code, console, _) = ChordsCommandTests.Run("continue", input, "--seed", "1", "--model", Path.Combine(_dir, "none.onnx"));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("prompt 264 notes from track MELODY", console, StringComparison.Ordinal);
        string output = Path.Combine(_dir, "001.continued.mid");
        Assert.True(File.Exists(output), console);
        AssertOriginalTracksUnchanged(input, output);
        MidiSong written = MidiReader.Read(output);
        double end = MidiReader.Read(input).Notes.Max(n => n.EndBeat);
        Assert.All(Generated(written), n => Assert.True(n.StartBeat >= end - 1e-9, n.ToString()));
    }

    [Fact]
    public void Bars_of_one_beat_are_read_as_4_4()
    {
        // The tune with its time signature rewritten to 1/4, as POP909 and some DAW exports declare.
        byte[] bytes = MidiFileBuilder.Type0(Ppq, CMajorTune);
        int at = bytes.AsSpan().IndexOf((byte[])[0xFF, 0x58, 0x04]);
        bytes[at + 3] = 1;
        string input = Path.Combine(_dir, "one-beat.mid");
        File.WriteAllBytes(input, bytes);
        Assert.Equal(1, MidiReader.Read(input).Metres[0].BarBeats);

        string output = Path.Combine(_dir, "one-beat-out.mid");
        var (code, console, _) = ChordsCommandTests.Run("continue", input, "--bars", "2", "--seed", "4", "--model", Path.Combine(_dir, "none.onnx"), "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("the file declares 1/4 (bars of one beat): bars of 4/4 from beat 0 are used", console, StringComparison.Ordinal);
        Assert.Contains("continued 2 bars from bar 5 (beat 16)", console, StringComparison.Ordinal);
        List<Note> generated = Generated(MidiReader.Read(output));
        Assert.NotEmpty(generated);
        Assert.All(generated, n => Assert.InRange(n.StartBeat, 16, 24 - 1e-9));
    }

    [Fact]
    public void Harmonize_puts_voices_under_every_melody_note()
    {
        string input = SmallFile();
        string output = Path.Combine(_dir, "harmony.mid");
        var (code, console, _) = ChordsCommandTests.Run("harmonize", input, "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("in 3 voices", console, StringComparison.Ordinal);
        MidiSong written = MidiReader.Read(output);
        List<Note> melody = [.. written.Notes.Where(n => n.Voice == "track 0")];
        List<Note> harmony = Generated(written);
        AssertUnderTheMelody(melody, harmony, voices: 3);

        // Every melody note in the soprano range has its three voices sounding under it (held voices included);
        // the tune's B3 lies below it, where a voice that would reach the melody is left out.
        foreach (Note m in melody)
        {
            int sounding = harmony.Count(h => h.StartBeat <= m.StartBeat + 1e-9 && h.EndBeat > m.StartBeat + 1e-9);
            if (m.Pitch >= Harmonizer.SopranoLow)
            {
                Assert.True(sounding == 3, $"{m}: {sounding} voices sound under it ({string.Join(", ", harmony.Where(h => h.StartBeat <= m.EndBeat && h.EndBeat > m.StartBeat))})");
            }
            else
            {
                Assert.InRange(sounding, 1, 3);
            }
        }

        AssertOriginalTracksUnchanged(input, output);
        AssertMarked(output, "rule-based harmoniser", "key C major");
    }

    [Fact]
    public void Harmonize_a_pop909_melody_with_one_voice()
    {
        string input = Pop909("001");
        string output = Path.Combine(_dir, "bass.mid");
        var (code, console, _) = ChordsCommandTests.Run("harmonize", input, "--voices", "1", "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        MidiSong written = MidiReader.Read(output);
        List<Note> melody = [.. written.Notes.Where(n => n.Voice == "MELODY")];
        AssertUnderTheMelody(melody, Generated(written), voices: 1);
        AssertOriginalTracksUnchanged(input, output);
        Assert.Contains("key F# major", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Harmonize_a_pop909_melody_in_three_voices()
    {
        string input = Pop909("001");
        string output = Path.Combine(_dir, "satb.mid");
        Assert.Equal(ExitCodes.Ok, ChordsCommandTests.Run("harmonize", input, "--out", output).Code);
        MidiSong written = MidiReader.Read(output);
        List<Note> melody = [.. written.Notes.Where(n => n.Voice == "MELODY")];
        AssertUnderTheMelody(melody, Generated(written), voices: 3);
    }

    [Fact]
    public void Accompany_plays_block_chords_on_half_bars_in_piano_range()
    {
        string input = SmallFile();
        string output = Path.Combine(_dir, "chords.mid");
        var (code, console, _) = ChordsCommandTests.Run("accompany", input, "--rules", "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("chords: C ", console, StringComparison.Ordinal);
        List<Note> chords = Generated(MidiReader.Read(output));
        Assert.NotEmpty(chords);
        Assert.All(chords, n => Assert.Equal(0, n.StartBeat % 2, 9));
        Assert.All(chords, n => Assert.True(n.Pitch is >= MelodyHarmony.BassLow and <= MelodyHarmony.BassHigh or >= MelodyHarmony.ChordLow and <= MelodyHarmony.ChordHigh, n.ToString()));

        // Each half bar: one bass and at least a triad above it, and the last chord (the tune ends on C) is C.
        foreach (IGrouping<double, Note> block in chords.GroupBy(n => n.StartBeat))
        {
            Assert.Single(block, n => n.Pitch <= MelodyHarmony.BassHigh);
            Assert.InRange(block.Count(n => n.Pitch >= MelodyHarmony.ChordLow), 3, 4);
        }

        var last = chords.Where(n => n.StartBeat == chords.Max(c => c.StartBeat)).Select(n => n.Pitch % 12).ToHashSet();
        Assert.Equal(new HashSet<int> { 0, 4, 7 }, last);
        AssertOriginalTracksUnchanged(input, output);
        AssertMarked(output, "block chords", "key C major");
    }

    [Fact]
    public void Accompany_a_pop909_song()
    {
        string input = Pop909("001");
        string output = Path.Combine(_dir, "pop-chords.mid");
        var (code, console, _) = ChordsCommandTests.Run("accompany", input, "--rules", "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        MidiSong written = MidiReader.Read(output);
        List<Note> chords = Generated(written);
        Assert.True(chords.Count > 100, console);

        // 001 declares 2/4: one chord per bar of two beats, none after the melody ends.
        double melodyEnd = written.Notes.Where(n => n.Voice == "MELODY").Max(n => n.EndBeat);
        Assert.All(chords, n => Assert.Equal(0, n.StartBeat % 2, 9));
        Assert.All(chords, n => Assert.True(n.StartBeat < melodyEnd, n.ToString()));
        AssertOriginalTracksUnchanged(input, output);
    }

    [Fact]
    public void Accompany_with_the_shipped_model_changes_chords_on_bar_and_half_bar_lines_in_the_key()
    {
        string input = SmallFile();
        string output = Path.Combine(_dir, "model-chords.mid");
        var (code, console, _) = ChordsCommandTests.Run("accompany", input, "--temperature", "0", "--out", output);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("by the model copilot-int8.onnx", console, StringComparison.Ordinal);

        List<Note> chords = Generated(MidiReader.Read(output));
        Assert.NotEmpty(chords);
        Assert.All(chords, n => Assert.Equal(0, n.StartBeat % 2, 9));
        Assert.Contains(chords, n => n.StartBeat == 0);
        foreach (IGrouping<double, Note> block in chords.GroupBy(n => n.StartBeat))
        {
            Assert.Single(block, n => n.Pitch <= MelodyHarmony.BassHigh);
        }

        // A plain C major tune: the model's chords keep (almost) to its scale.
        Assert.True(Key.TryParse("C major", out Key key));
        double inKey = chords.Count(n => key.Contains(new PitchClass(n.Pitch))) / (double)chords.Count;
        Assert.True(inKey >= 0.8, $"{inKey:P0} of the chord notes in C major:\n{console}");
        AssertOriginalTracksUnchanged(input, output);
        AssertMarked(output, "block chords by the model", "key C major");

        string again = Path.Combine(_dir, "model-chords-again.mid");
        Assert.Equal(ExitCodes.Ok, ChordsCommandTests.Run("accompany", input, "--temperature", "0", "--out", again).Code);
        Assert.Equal(File.ReadAllBytes(output), File.ReadAllBytes(again));
    }

    [Fact]
    public void Accompany_chooses_causally_as_live_with_no_look_ahead_and_refuses_a_negative_one()
    {
        string input = SmallFile();
        string causal = Path.Combine(_dir, "causal-chords.mid");
        Assert.Equal(ExitCodes.Ok, ChordsCommandTests.Run("accompany", input, "--temperature", "0", "--look-ahead", "0", "--out", causal).Code);
        Assert.NotEmpty(Generated(MidiReader.Read(causal)));

        Assert.Equal(ExitCodes.Usage, ChordsCommandTests.Run("accompany", input, "--look-ahead", "-1").Code);
        Assert.Equal(ExitCodes.Usage, ChordsCommandTests.Run("accompany", input, "--look-ahead", "1000").Code);
    }

    [Fact]
    public void Accompany_without_a_model_says_so_and_uses_the_harmoniser()
    {
        string output = Path.Combine(_dir, "no-model-chords.mid");
        var (code, console, _) = ChordsCommandTests.Run("accompany", SmallFile(), "--model", Path.Combine(_dir, "absent.onnx"), "--out", output);

        Assert.Equal(ExitCodes.Ok, code);
        string words = string.Join(' ', console.Split(['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries)); // the console wraps
        Assert.Contains("absent.onnx", words, StringComparison.Ordinal);
        Assert.Contains("using the rule-based harmoniser", words, StringComparison.Ordinal);
        AssertMarked(output, "block chords by the rule-based harmoniser", "key C major");
    }

    [Theory]
    [InlineData("continue")]
    [InlineData("harmonize")]
    [InlineData("accompany")]
    public void Unreadable_input_is_a_failure_naming_the_file_and_problem(string command)
    {
        string path = Path.Combine(_dir, "broken.mid");
        byte[] whole = File.ReadAllBytes(Pop909("001"));
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var (code, console, _) = ChordsCommandTests.Run(command, path);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("broken.mid", console, StringComparison.Ordinal);
        Assert.Contains("declares", console, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, $"broken.{command switch { "continue" => "continued", "harmonize" => "harmonized", _ => "accompanied" }}.mid")));
    }

    [Fact]
    public void Missing_input_and_unknown_track_are_failures()
    {
        var (code, console, _) = ChordsCommandTests.Run("continue", Path.Combine(_dir, "nothing.mid"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("nothing.mid", console, StringComparison.Ordinal);

        (code, console, _) = ChordsCommandTests.Run("harmonize", Pop909("001"), "--track", "FLUTE", "--out", Path.Combine(_dir, "x.mid"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("no track 'FLUTE'", console, StringComparison.Ordinal);
        Assert.Contains("MELODY", console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("harmonize", "--voices", "4")]
    [InlineData("continue", "--bars", "0")]
    [InlineData("continue", "--temperature", "-1")]
    [InlineData("continue", "--style", "polka")]
    public void Bad_options_are_usage_errors(string command, string option, string value)
    {
        string output = Path.Combine(_dir, "never.mid");
        Assert.Equal(ExitCodes.Usage, ChordsCommandTests.Run(command, SmallFile(), option, value, "--out", output).Code);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void The_track_option_picks_the_melody_by_name_or_number()
    {
        string input = Pop909("001");
        var (code, console, _) = ChordsCommandTests.Run("harmonize", input, "--track", "2", "--voices", "1", "--out", Path.Combine(_dir, "t.mid"));
        Assert.Equal(ExitCodes.Ok, code);
        string name = MidiReader.Read(input).TrackNames[2];
        Assert.Contains($"from track {name}", console, StringComparison.Ordinal);
    }

    private string SmallFile()
    {
        string path = Path.Combine(_dir, "tune.mid");
        File.WriteAllBytes(path, MidiFileBuilder.Type0(Ppq, CMajorTune));
        return path;
    }

    private static string Pop909(string song)
    {
        string? data = DataLocation.Resolve(null, out string? error);
        Assert.True(data is not null, error);
        string path = Path.Combine(data!, "pop909", "POP909", song, song + ".mid");
        Assert.True(File.Exists(path), path);
        return path;
    }

    private static List<Note> Generated(MidiSong song)
    {
        Assert.Equal(GenerationOutput.TrackName, song.TrackNames[^1]);
        Assert.Equal(1, song.TrackNames.Count(n => n == GenerationOutput.TrackName));
        return [.. song.Notes.Where(n => n.Voice == GenerationOutput.TrackName)];
    }

    // Each harmony note starts with a melody note, lies below it (or doubles it), and no onset has more notes than voices.
    private static void AssertUnderTheMelody(List<Note> melody, List<Note> harmony, int voices)
    {
        Assert.NotEmpty(harmony);
        var melodyAt = new Dictionary<double, int>();
        foreach (Note m in melody)
        {
            melodyAt[m.StartBeat] = Math.Max(melodyAt.GetValueOrDefault(m.StartBeat), m.Pitch);
        }

        foreach (Note h in harmony)
        {
            Assert.True(melodyAt.TryGetValue(h.StartBeat, out int top), $"{h} does not start with a melody note");
            Assert.True(h.Pitch <= top, $"{h} is above the melody note {top}");
        }

        Assert.All(harmony.GroupBy(h => h.StartBeat), g => Assert.InRange(g.Count(), 1, voices));
    }

    private static void AssertOriginalTracksUnchanged(string input, string output)
    {
        byte[] before = File.ReadAllBytes(input);
        byte[] after = File.ReadAllBytes(output);
        List<byte[]> originalTracks = TrackChunks(before);
        List<byte[]> writtenTracks = TrackChunks(after);
        Assert.Equal(originalTracks.Count + 1, writtenTracks.Count);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(after.AsSpan(8)));
        Assert.Equal(before.AsSpan(12, 2).ToArray(), after.AsSpan(12, 2).ToArray());
        for (int t = 0; t < originalTracks.Count; t++)
        {
            Assert.Equal(originalTracks[t], writtenTracks[t]);
        }

        MidiSong a = MidiReader.Read(input);
        MidiSong b = MidiReader.Read(output);
        // Notes of one onset and pitch come in either order from the reader's sort: compare them sorted fully.
        static IEnumerable<Note> Canonical(IEnumerable<Note> notes) =>
            notes.OrderBy(n => n.StartBeat).ThenBy(n => n.Pitch).ThenBy(n => n.Voice, StringComparer.Ordinal).ThenBy(n => n.DurationBeats).ThenBy(n => n.Velocity);
        Assert.Equal(Canonical(a.Notes), Canonical(b.Notes.Where(n => n.Voice != GenerationOutput.TrackName)));
        Assert.Equal(a.TrackNames, b.TrackNames.Take(a.TrackNames.Count));
        Assert.Equal(a.Tempo.Changes, b.Tempo.Changes);
        Assert.Equal(a.Metres, b.Metres);
    }

    private static void AssertMarked(string output, params string[] description)
    {
        var file = new MidiFile(output, strictChecking: false);
        IList<MidiEvent> track = file.Events[file.Tracks - 1];
        var texts = track.OfType<TextEvent>().ToList();
        Assert.Contains(texts, t => t.MetaEventType == MetaEventType.SequenceTrackName && t.Text == GenerationOutput.TrackName);
        Assert.Contains(texts, t => t.MetaEventType == MetaEventType.Marker && t.Text == GeneratedTrackWriter.MarkerText);
        TextEvent text = Assert.Single(texts, t => t.MetaEventType == MetaEventType.TextEvent);
        Assert.StartsWith("Generated by CoPilot", text.Text, StringComparison.Ordinal);
        foreach (string part in description)
        {
            Assert.Contains(part, text.Text, StringComparison.Ordinal);
        }
    }

    private static List<byte[]> TrackChunks(byte[] file)
    {
        var chunks = new List<byte[]>();
        int tracks = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(10));
        int offset = 14;
        while (chunks.Count < tracks)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 4));
            if (file.AsSpan(offset, 4).SequenceEqual("MTrk"u8))
            {
                chunks.Add(file[offset..(offset + 8 + length)]);
            }

            offset += 8 + length;
        }

        return chunks;
    }
}
