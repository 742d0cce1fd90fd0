using CoPilot.Core;

namespace CoPilot.Inference;

/// <summary>
/// A deterministic generator for engine tests and the native host: it answers a phrase with the
/// phrase's own pitches in reverse, one every half beat, each a quarter beat long.
/// </summary>
/// <remarks>Predictable output makes timing, cancellation and note balance testable without a model.</remarks>
public sealed class ScriptedGenerator : IPhraseGenerator
{
    private readonly byte[] _pitches = new byte[64];
    private int _count;
    private int _phraseCount;

    public int LearnedNotes => _phraseCount;

    public void Observe(in NoteEvent e)
    {
        if (e.IsNoteOn)
        {
            _pitches[_count % _pitches.Length] = e.Pitch;
            _count++;
        }
    }

    public void EndPhrase()
    {
        _phraseCount = Math.Min(_count, _pitches.Length);
        _count = 0;
    }

    public int Generate(in GenerationRequest request, Span<GeneratedNote> output)
    {
        int n = Math.Min(Math.Min(_phraseCount, output.Length), request.MaxNotes);
        n = Math.Min(n, (int)Math.Floor(request.MaxBeats / 0.5));
        for (int i = 0; i < n; i++)
        {
            output[i] = new GeneratedNote(i * 0.5, 0.25, _pitches[_phraseCount - 1 - i], 0.7f);
        }

        return Math.Max(n, 0);
    }

    public void Reset()
    {
        _count = 0;
        _phraseCount = 0;
    }
}
