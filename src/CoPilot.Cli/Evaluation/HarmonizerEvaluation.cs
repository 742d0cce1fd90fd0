using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoPilot.Data;
using CoPilot.Music;
using Spectre.Console;

namespace CoPilot.Cli.Evaluation;

/// <summary>
/// Voice-leading figures of one way of writing alto, tenor and bass under Bach's sopranos, all normalised
/// per 100 soprano notes of the same chorales (see docs/evaluation/harmonizer.md).
/// </summary>
public sealed class HarmonyMetrics(string name)
{
    public string Name { get; } = name;

    /// <summary>Soprano notes of the chorales: the denominator of every "per 100 notes" figure.</summary>
    public int SopranoNotes { get; private set; }

    public int ParallelFifths { get; private set; }

    public int ParallelOctaves { get; private set; }

    public int Crossings { get; private set; }

    /// <summary>Alto, tenor and bass notes (a voice's pitch changes, or it starts).</summary>
    public int WrittenNotes { get; private set; }

    public int InKeyNotes { get; private set; }

    /// <summary>Semitones moved by alto, tenor and bass together.</summary>
    public long Motion { get; private set; }

    public double Per100(int count) => SopranoNotes == 0 ? 0 : 100.0 * count / SopranoNotes;

    public double Parallels => Per100(ParallelFifths + ParallelOctaves);

    public double InKeyRate => WrittenNotes == 0 ? 0 : (double)InKeyNotes / WrittenNotes;

    public double MotionPerNote => SopranoNotes == 0 ? 0 : (double)Motion / SopranoNotes;

    /// <summary>Adds one chorale: its successive sonorities (any grid) and how many soprano notes it has.</summary>
    public void Add(ReadOnlySpan<Voicing> sonorities, int sopranoNotes, Key key)
    {
        SopranoNotes += sopranoNotes;
        for (int i = 0; i < sonorities.Length; i++)
        {
            Voicing now = sonorities[i];
            Crossings += VoiceLeading.CountCrossings(now);
            Voicing before = i > 0 ? sonorities[i - 1] : Voicing.None;
            for (int v = 1; v < Voicing.VoiceCount; v++)
            {
                if (now[v] >= 0 && now[v] != before[v])
                {
                    WrittenNotes++;
                    InKeyNotes += InKey(key, now[v]) ? 1 : 0;
                }
            }

            if (i > 0)
            {
                VoiceLeading.CountParallels(before, now, out int fifths, out int octaves);
                ParallelFifths += fifths;
                ParallelOctaves += octaves;
                Motion += VoiceLeading.LowerVoicesMotion(before, now);
            }
        }
    }

    /// <summary>In the key's scale; in a minor key the raised sixth and seventh (melodic and harmonic minor) count too.</summary>
    public static bool InKey(Key key, int pitch)
    {
        var pc = new PitchClass(pitch);
        if (key.Contains(pc))
        {
            return true;
        }

        int above = pc.SemitonesAbove(key.TonicPitchClass);
        return key.Mode == Mode.Minor && above is 9 or 11;
    }
}

public sealed record HarmonizerEvaluationResult(IReadOnlyList<HarmonyMetrics> Rows, int Chorales, int SopranoNotes, int KeyAgreesWithAllVoices, int ChordsRecognised);

/// <summary>
/// The harmoniser on the JSB chorales (issue 5): Bach's soprano in, alto, tenor and bass out, scored beside
/// Bach's own lower voices. The key comes from <see cref="KeyFinder"/> on the soprano alone.
/// </summary>
public sealed class HarmonizerEvaluation : IEvaluationSection
{
    public string Name => "harmonizer";

    public string Description => "Harmoniser on the JSB chorales: Bach's soprano in, A/T/B out; parallels, crossings, in-key rate and motion beside Bach's.";

    public static HarmonizerEvaluationResult Evaluate(IReadOnlyList<JsbChorale> chorales)
    {
        var ours = new HarmonyMetrics("CoPilot harmoniser (chords chosen by the harmoniser)");
        var withBach = new HarmonyMetrics("CoPilot harmoniser with Bach's chords (recognised from his four voices)");
        var bachOnsets = new HarmonyMetrics("Bach, sampled at soprano onsets (the same grid as ours)");
        var bachAll = new HarmonyMetrics("Bach, every 16th where any voice moves (his full texture)");
        var finder = new KeyFinder();
        var recognizer = new ChordRecognizer();
        int agree = 0;
        int recognised = 0;
        int sopranoTotal = 0;
        var sounding = new int[JsbChorale.Voices];
        foreach (JsbChorale chorale in chorales)
        {
            IReadOnlyList<JsbNote> soprano = chorale.Soprano;
            int n = soprano.Count;
            if (n == 0)
            {
                continue;
            }

            sopranoTotal += n;
            var melody = new int[n];
            var sopranoDurations = new (int Pitch, double Duration)[n];
            for (int i = 0; i < n; i++)
            {
                melody[i] = soprano[i].Pitch;
                sopranoDurations[i] = (soprano[i].Pitch, soprano[i].Duration);
            }

            Key key = finder.FindKey(sopranoDurations).Key;
            var allVoices = new List<(int, double)>();
            foreach (IReadOnlyList<JsbNote> voice in chorale.Notes)
            {
                allVoices.AddRange(voice.Select(x => (x.Pitch, (double)x.Duration)));
            }

            agree += finder.FindKey(allVoices.ToArray()).Key.IsEnharmonicTo(key) ? 1 : 0;

            var harmonizer = new Harmonizer(key);
            var written = new Voicing[n];
            harmonizer.Harmonize(melody, [], written);
            ours.Add(written, n, key);

            var bach = new Voicing[n];
            var chords = new Chord[n];
            for (int i = 0; i < n; i++)
            {
                int step = soprano[i].Start;
                bach[i] = new Voicing(melody[i], chorale.PitchAt(1, step), chorale.PitchAt(2, step), chorale.PitchAt(3, step));
                int count = 0;
                for (int v = 0; v < JsbChorale.Voices; v++)
                {
                    if (chorale.PitchAt(v, step) >= 0)
                    {
                        sounding[count++] = chorale.PitchAt(v, step);
                    }
                }

                chords[i] = recognizer.Recognize(sounding.AsSpan(0, count), [], key).Chord;
                recognised += chords[i].IsNone ? 0 : 1;
            }

            bachOnsets.Add(bach, n, key);
            var withChords = new Voicing[n];
            harmonizer.Harmonize(melody, chords, withChords);
            withBach.Add(withChords, n, key);

            var texture = new List<Voicing>();
            for (int step = 0; step < chorale.Steps; step++)
            {
                var v = new Voicing(chorale.PitchAt(0, step), chorale.PitchAt(1, step), chorale.PitchAt(2, step), chorale.PitchAt(3, step));
                if (texture.Count == 0 || texture[^1] != v)
                {
                    texture.Add(v);
                }
            }

            bachAll.Add(texture.ToArray(), n, key);
        }

        return new HarmonizerEvaluationResult([ours, withBach, bachOnsets, bachAll], chorales.Count, sopranoTotal, agree, recognised);
    }

    public int Run(EvaluationContext context)
    {
        IAnsiConsole console = context.Console;
        if (context.Split == Split.Test)
        {
            console.MarkupLine("[red]error:[/] the JSB test split is not in ../shared/data (only train and valid): use --split valid.");
            return ExitCodes.Failure;
        }

        var clock = Stopwatch.StartNew();
        IReadOnlyList<JsbChorale> chorales;
        try
        {
            chorales = JsbLoader.Load(JsbLoader.PathIn(context.DataDirectory), context.Split);
        }
        catch (DataLoadException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }

        if (context.Limit is int limit)
        {
            chorales = chorales.Take(limit).ToList();
        }

        if (context.Sweep)
        {
            console.MarkupLine("[yellow]The harmoniser has no sweep: its costs are set by hand (docs/evaluation/harmonizer.md).[/]");
            return ExitCodes.Ok;
        }

        HarmonizerEvaluationResult result = Evaluate(chorales);
        clock.Stop();
        var table = new Table().Title($"Harmoniser, JSB {SplitName(context)} ({result.Chorales} chorales, {result.SopranoNotes} soprano notes)")
            .AddColumns("Lower voices", "Parallel 5ths /100", "Parallel 8ves /100", "Parallels /100", "Crossings /100", "In key", "A+T+B motion / note");
        foreach (HarmonyMetrics m in result.Rows)
        {
            table.AddRow(Markup.Escape(m.Name), F(m.Per100(m.ParallelFifths)), F(m.Per100(m.ParallelOctaves)), F(m.Parallels), F(m.Per100(m.Crossings)), Pct(m.InKeyRate), F(m.MotionPerNote));
        }

        console.Write(table);
        string id = $"harmonizer-{SplitName(context)}";
        MarkdownReport.WriteSection(context.OutPath, id, ToMarkdown(context, result, clock.Elapsed));
        console.MarkupLineInterpolated($"Wrote section {id} of {context.OutPath} ({clock.Elapsed.TotalSeconds:F1} s).");
        return ExitCodes.Ok;
    }

    private static string SplitName(EvaluationContext context) => context.Split.ToString().ToLowerInvariant();

    private static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Pct(double rate) => (100 * rate).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string ToMarkdown(EvaluationContext context, HarmonizerEvaluationResult result, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.Append(inv, $"## Harmoniser: JSB chorales {SplitName(context)}\n\n");
        md.Append(inv, $"Run on {context.Date:yyyy-MM-dd} in {elapsed.TotalSeconds:F0} s by\n\n```\n{context.CommandLine}\n```\n\n");
        if (context.Limit is int limit)
        {
            md.Append(inv, $"**Smoke run: only the first {limit} chorales of the split.**\n\n");
        }

        md.Append(inv, $"{result.Chorales} chorales, {result.SopranoNotes} soprano notes (repeated 16ths merged). The harmoniser gets Bach's soprano and the key ");
        md.Append(inv, $"KeyFinder (Albrecht-Shanahan) finds on the **soprano alone** (the same key as on all four voices in {result.KeyAgreesWithAllVoices} of {result.Chorales} chorales), ");
        md.Append("and writes alto, tenor and bass, one chord per soprano note. Every figure is per 100 soprano notes of the same chorales, except the in-key rate (share of written A/T/B notes in the key; in minor the raised 6th and 7th count) and motion (semitones moved by A+T+B per soprano note).\n\n");
        md.Append("| lower voices | parallel 5ths /100 | parallel 8ves/unisons /100 | **parallels /100** | crossings /100 | in key | A+T+B motion / note |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (HarmonyMetrics m in result.Rows)
        {
            md.Append(inv, $"| {m.Name} | {F(m.Per100(m.ParallelFifths))} | {F(m.Per100(m.ParallelOctaves))} | **{F(m.Parallels)}** | {F(m.Per100(m.Crossings))} | {Pct(m.InKeyRate)} | {F(m.MotionPerNote)} |\n");
        }

        HarmonyMetrics ours = result.Rows[0];
        double bach = Math.Min(result.Rows[2].Parallels, result.Rows[3].Parallels);
        md.Append(inv, $"\nDone-when (parallels no more than Bach's): {(ours.Parallels <= bach ? "**met**" : "**not met**")}: {F(ours.Parallels)} against Bach's {F(result.Rows[2].Parallels)} (soprano-onset grid) and {F(result.Rows[3].Parallels)} (full texture). ");
        md.Append(inv, $"The main figure uses no information from Bach's lower voices; the row \"with Bach's chords\" takes the chord ChordRecognizer names from his four voices at each soprano onset ({result.ChordsRecognised} of {result.SopranoNotes} onsets gave a chord; the rest are chosen by the harmoniser).\n");
        md.Append("\nMethod and conventions: [harmonizer.md](harmonizer.md).\n");
        return md.ToString();
    }
}
