using Xunit.Abstractions;

namespace CoPilot.Data.Tests;

public class NottinghamTests(ITestOutputHelper output)
{
    private static readonly Lazy<LoadReport<Song>> All = new(() => NottinghamLoader.LoadAll(DataRoot.Nottingham));

    private static string Midi(string name) => Path.Combine(DataRoot.Nottingham, "MIDI", name + ".mid");

    [Fact]
    public void Ashover_1_melody_chords_key_and_changing_metre()
    {
        // ABC: K:G, M:3/4 with 2/4 bars, chords G D F C Bb; anacrusis "e|" placed on beat 3 of the first bar.
        var song = NottinghamLoader.LoadSong(Midi("ashover1"));
        Assert.Equal("ashover1", song.Id);
        Assert.Equal(StyleTag.Folk, song.Style);
        Assert.Equal("G:maj", Assert.Single(song.Keys).Label);
        Assert.Equal(new TimeSignatureChange(0, 3, 4), song.Metres[0]);
        Assert.Contains(song.Metres, m => m is { Numerator: 2, Denominator: 4 });
        Assert.Equal(120.0, Assert.Single(song.Tempos).BeatsPerMinute);

        var melody = song.Notes.Where(n => n.Voice == NottinghamLoader.MelodyVoice).ToList();
        Assert.Equal((2.0, 76), (melody[0].StartBeat, melody[0].Pitch)); // e' on the third beat
        Assert.Equal([43, 47, 50], song.Notes.Where(n => n.Voice == NottinghamLoader.ChordVoice && n.StartBeat == 3).Select(n => n.Pitch).Order());
        Assert.Equal(song.Notes.Count, melody.Count + song.Notes.Count(n => n.Voice == NottinghamLoader.ChordVoice));

        // The tune opens with a silent chord track under the pickup, then G, D, G, D.
        Assert.Equal(new ChordLabel("N", 2, 3), song.Chords[0]);
        Assert.Equal(["G:maj", "D:maj", "G:maj", "D:maj"], song.Chords.Skip(1).Take(4).Select(c => c.Label));
        Assert.Equal(3.0, song.Chords[1].EndBeat - song.Chords[1].StartBeat);
        Assert.Equal(new HashSet<string> { "N", "G:maj", "D:maj", "F:maj", "C:maj", "Bb:maj" }, song.Chords.Select(c => c.Label).ToHashSet());
        for (var i = 1; i < song.Chords.Count; i++)
        {
            Assert.Equal(song.Chords[i - 1].EndBeat, song.Chords[i].StartBeat);
            Assert.NotEqual(song.Chords[i - 1].Label, song.Chords[i].Label);
        }
    }

    [Fact]
    public void Black_boy_modulates_from_a_to_d_with_its_key_signatures()
    {
        // ABC: K:A, then K:D with M:6/8 for the second tune.
        var song = NottinghamLoader.LoadSong(Midi("ashover3"));
        Assert.Equal(["A:maj", "D:maj"], song.Keys.Select(k => k.Label));
        Assert.Equal(song.Keys[0].EndBeat, song.Keys[1].StartBeat);
        Assert.Contains(song.Metres, m => m is { Numerator: 6, Denominator: 8 });
        // A B7 written in A major spells its third D#: the root is B, named in the key of the moment.
        Assert.Contains(song.Chords, c => c.Label == "F#:min");
        Assert.Contains(song.Chords, c => c.Label == "E:maj" || c.Label == "E:7");
    }

    [Fact]
    public void All_tunes_load_with_file_name_splits_and_abc_titles()
    {
        var report = All.Value;
        foreach (var failure in report.Failures)
        {
            output.WriteLine(failure.ToString());
        }
        Assert.Empty(report.Failures);
        Assert.Equal(1034, report.Loaded);
        Assert.Equal("ashover1", report.Items[0].Id);
        Assert.Equal(Split.Test, report.Items[0].Split);
        Assert.Equal("ashover10", report.Items[1].Id);
        Assert.Equal(Split.Valid, report.Items[1].Split);
        Assert.Equal(104, report.Items.Count(s => s.Split == Split.Test));
        Assert.Equal(104, report.Items.Count(s => s.Split == Split.Valid));
        Assert.Equal("A and A's Waltz", report.Items[0].Title);
        Assert.All(report.Items, s => Assert.False(string.IsNullOrEmpty(s.Title), s.Id));
        Assert.All(report.Items, s => Assert.NotEmpty(s.Keys));
        Assert.Equal(13, report.Items.Count(s => s.Chords.Count == 0));
        output.WriteLine($"{report.Loaded} tunes in {report.Elapsed.TotalSeconds:F2} s; " +
            $"{report.Items.Count(s => s.Split == Split.Train)} train / {report.Items.Count(s => s.Split == Split.Valid)} valid / {report.Items.Count(s => s.Split == Split.Test)} test; " +
            $"{report.Items.Sum(s => s.Chords.Count(c => !ChordSymbols.IsNoChord(c.Label)))} chord spans, " +
            $"{report.Items.SelectMany(s => s.Chords).Count(c => c.Label == "X")} single-pitch-class (X)");
    }

    [Fact]
    public void Split_filter_loads_only_the_asked_splits()
    {
        var report = NottinghamLoader.LoadAll(DataRoot.Nottingham, s => s == Split.Valid);
        Assert.Equal(All.Value.Items.Where(s => s.Split == Split.Valid).Select(s => s.Id), report.Items.Select(s => s.Id));
    }

    [Fact]
    public void Midi_key_signatures_come_from_the_abc_key_fields()
    {
        // The MIDI key signatures were written from the K: fields: every MIDI key is one of the tune's K:. Not all
        // K: reach the MIDI (hpps22 has a K:D part the rendering does not play), and the order can differ: a tune
        // played in the order of its Y: field (morris10, Y:BAAABCBC) opens with part B, written under a later K:.
        var headers = NottinghamLoader.ReadAbcHeaders(Path.Combine(DataRoot.Nottingham, "ABC_cleaned"));
        Assert.Equal(1034, headers.Count);
        int reordered = 0, unplayed = 0;
        foreach (var song in All.Value.Items)
        {
            var abc = headers[song.Id].Keys.Select(k => k.EndsWith('m') ? k[..^1] + ":min" : k + ":maj").ToList();
            var midi = song.Keys.Select(k => k.Label).ToHashSet();
            Assert.True(midi.IsSubsetOf(abc), $"{song.Id}: K: {string.Join(", ", abc)} but MIDI {string.Join(", ", midi)}");
            unplayed += midi.SetEquals(abc) ? 0 : 1;
            reordered += song.Keys[0].Label == abc[0] ? 0 : 1;
        }
        output.WriteLine($"{reordered} tunes open in another key than their first K:, {unplayed} have a K: the MIDI does not use");
        Assert.InRange(reordered + unplayed, 0, 50);
    }

    [Fact]
    public void Every_chord_onset_names_a_chord()
    {
        // The chord track plays block chords: an onset with a single pitch class ("X") would mean a rendering
        // the recogniser cannot name.
        var spans = All.Value.Items.SelectMany(s => s.Chords).Where(c => !ChordSymbols.IsNoChord(c.Label)).ToList();
        var x = All.Value.Items.SelectMany(s => s.Chords).Count(c => c.Label == "X");
        output.WriteLine($"{spans.Count} chord spans, {x} X");
        Assert.InRange(spans.Count, 20_000, 100_000);
        Assert.Equal(0, x);
    }

    [Fact]
    public void Recognised_chords_are_the_abc_chord_symbols()
    {
        // The chord track renders the ABC chord symbols, so every recognised chord must be written in the tune's
        // ABC. Compared as root pitch class and family (major, minor, diminished, augmented): the ABC's sevenths,
        // sixths and slash basses are named more finely than this check needs. The ABC may hold more chords than
        // the MIDI plays (the second of an alternate pair is never rendered).
        var written = AbcChordFamilies(Path.Combine(DataRoot.Nottingham, "ABC_cleaned"));
        int spans = 0, missing = 0;
        foreach (var song in All.Value.Items)
        {
            foreach (var chord in song.Chords.Where(c => !ChordSymbols.IsNoChord(c.Label)))
            {
                spans++;
                if (!written[song.Id].Contains(Family(chord.Label)))
                {
                    missing++;
                    output.WriteLine($"{song.Id} {chord.StartBeat}: {chord.Label} not in the ABC");
                }
            }
        }
        output.WriteLine($"{spans - missing} of {spans} recognised chord spans are written in the ABC");
        Assert.Equal(0, missing);
    }

    private static (int Root, char Family) Family(string harte)
    {
        var colon = harte.IndexOf(':', StringComparison.Ordinal);
        var quality = harte[(colon + 1)..].Split('/')[0];
        var family = quality switch
        {
            "min" or "min7" or "min6" or "minmaj7" or "min9" or "min11" => 'm',
            "dim" or "dim7" or "hdim7" => 'd',
            "aug" => 'a',
            _ => 'M',
        };
        return (PitchClassOf(harte[..colon]), family);
    }

    private static int PitchClassOf(string name)
    {
        var pc = "C D EF G A B".IndexOf(name[0], StringComparison.Ordinal);
        foreach (var c in name[1..])
        {
            pc += c == '#' ? 1 : c == 'b' ? -1 : 0;
        }
        return ((pc % 12) + 12) % 12;
    }

    // ABC chord symbols: "G", "D7", "Em", "Cd" (diminished), "Ca" (augmented), "A7/c+" (bass after the slash).
    private static Dictionary<string, HashSet<(int, char)>> AbcChordFamilies(string folder)
    {
        var byTune = new Dictionary<string, HashSet<(int, char)>>(StringComparer.Ordinal);
        var symbol = new System.Text.RegularExpressions.Regex("\"\\(?([A-G][#b]?)([^\"/)]*)");
        foreach (var file in Directory.GetFiles(folder, "*.abc"))
        {
            HashSet<(int, char)>? current = null;
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith("X:", StringComparison.Ordinal))
                {
                    current = byTune[Path.GetFileNameWithoutExtension(file) + line[2..].Trim()] = [];
                    continue;
                }
                if (current is null || (line.Length > 1 && line[1] == ':' && char.IsAsciiLetter(line[0])))
                {
                    continue;
                }
                foreach (System.Text.RegularExpressions.Match m in symbol.Matches(line))
                {
                    var rest = m.Groups[2].Value.TrimStart(); // slip6 writes "D m"
                    var family = rest.StartsWith('m') ? 'm' : rest.StartsWith('d') ? 'd' : rest.StartsWith('a') ? 'a' : 'M';
                    current.Add((PitchClassOf(m.Groups[1].Value), family));
                }
            }
        }
        return byTune;
    }

    [Fact]
    public void A_file_with_one_track_is_a_named_failure()
    {
        var dir = Directory.CreateTempSubdirectory("nottingham");
        try
        {
            var path = Path.Combine(dir.FullName, "one1.mid");
            File.WriteAllBytes(path, MidiBytes.File(1, 1024, new MidiBytes().On(0, 60).Off(1024, 60)));
            var e = Assert.Throws<DataLoadException>(() => NottinghamLoader.LoadSong(path));
            Assert.Equal(LoadProblem.Unsupported, e.Problem);
            Assert.Contains("1 tracks", e.Message, StringComparison.Ordinal);
            Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void A_tune_without_melody_notes_is_a_named_failure_and_the_batch_goes_on()
    {
        var dir = Directory.CreateTempSubdirectory("nottingham");
        try
        {
            var midi = Directory.CreateDirectory(Path.Combine(dir.FullName, "MIDI"));
            File.Copy(Midi("ashover1"), Path.Combine(midi.FullName, "a1.mid"));
            File.WriteAllBytes(Path.Combine(midi.FullName, "a2.mid"),
                MidiBytes.File(1, 1024, new MidiBytes(), new MidiBytes().On(0, 60).On(0, 64).Off(1024, 60).Off(0, 64)));
            File.WriteAllBytes(Path.Combine(midi.FullName, "a3.mid"), []);
            var report = NottinghamLoader.LoadAll(dir.FullName);
            Assert.Equal(["a1"], report.Items.Select(s => s.Id));
            Assert.Equal([LoadProblem.NoNotes, LoadProblem.Empty], report.Failures.Select(f => f.Problem));
            Assert.EndsWith("a2.mid", report.Failures[0].Path, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
