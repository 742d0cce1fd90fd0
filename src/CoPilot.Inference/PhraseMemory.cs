namespace CoPilot.Inference;

/// <summary>
/// The player's learned phrases, oldest first, as one array of <see cref="LearnedStep"/>s with phrase ends marked.
/// </summary>
/// <remarks>
/// [inference thread]. Bounded: <see cref="Capacity"/> steps allocated in the constructor. When a new phrase
/// does not fit, the oldest whole phrases are forgotten until at most half the capacity remains, then the
/// phrase is appended. Forgetting the oldest follows the player: a session drifts through keys and grooves,
/// and the answer should sound like what they play now. Halving rather than dropping one phrase at a time
/// makes the re-indexing that forgetting needs (<see cref="ContextTree"/> is rebuilt) rare: at most once per
/// half a memory of new material.
/// </remarks>
internal sealed class PhraseMemory
{
    private readonly LearnedStep[] _steps;
    private int _count;

    public PhraseMemory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _steps = new LearnedStep[capacity];
    }

    public int Capacity => _steps.Length;

    public int Count => _count;

    /// <summary>Index of the first step of the most recent phrase, or -1 when nothing is learned.</summary>
    public int LastPhraseStart { get; private set; } = -1;

    public ReadOnlySpan<LearnedStep> Steps => _steps.AsSpan(0, _count);

    public ref readonly LearnedStep this[int index] => ref _steps[index];

    /// <summary>
    /// Appends a phrase (at most half the capacity long; its last step ends the phrase).
    /// Returns true when older phrases were forgotten to make room, which shifts every index.
    /// </summary>
    public bool Append(ReadOnlySpan<LearnedStep> phrase)
    {
        if (phrase.IsEmpty)
        {
            return false;
        }

        bool forgot = false;
        if (_count + phrase.Length > _steps.Length)
        {
            ForgetOldest(_steps.Length / 2);
            forgot = true;
        }

        LastPhraseStart = _count;
        phrase.CopyTo(_steps.AsSpan(_count));
        _count += phrase.Length;
        return forgot;
    }

    /// <summary>The first step of the phrase that contains <paramref name="index"/>.</summary>
    public int PhraseStartOf(int index)
    {
        while (index > 0 && !_steps[index - 1].EndsPhrase)
        {
            index--;
        }

        return index;
    }

    public void Clear()
    {
        _count = 0;
        LastPhraseStart = -1;
    }

    /// <summary>Drops whole phrases from the front until at most <paramref name="keep"/> steps remain.</summary>
    private void ForgetOldest(int keep)
    {
        int cut = _count;
        for (int i = 0; i < _count; i++)
        {
            if (_steps[i].EndsPhrase && _count - (i + 1) <= keep)
            {
                cut = i + 1;
                break;
            }
        }

        int remaining = _count - cut;
        Array.Copy(_steps, cut, _steps, 0, remaining);
        _count = remaining;
        LastPhraseStart = remaining == 0 ? -1 : LastPhraseStart - cut;
    }
}
