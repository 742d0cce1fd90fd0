namespace CoPilot.Inference;

/// <summary>
/// Pachet's prefix tree of pitch contexts (The Continuator, 2003, section 3): the variable-order Markov model.
/// </summary>
/// <remarks>
/// <para>
/// Each step of a phrase is indexed under every context that precedes it in its phrase, up to
/// <see cref="MaxOrder"/> pitches. A path from the root reads a context backwards (most recent pitch first),
/// so the node at depth k is one context of order k and all its longer extensions lie beneath it. The node
/// keeps the steps that followed that context: its continuations. Looking a context up is one walk down, and
/// every node on the way is a shorter context that also matched, which is what variable order needs.
/// </para>
/// <para>
/// Contexts never cross a phrase boundary: the player's phrases are separate utterances (Pachet learns each
/// phrase as a unit too).
/// </para>
/// <para>
/// [inference thread]. Nodes and continuation entries live in fixed pools sized for the worst case, one node
/// and one entry per step and order, so indexing a full <see cref="PhraseMemory"/> never runs out. Children
/// are a first-child/next-sibling list: a context has few distinct predecessors (the player's pitch set), and
/// the list needs no hash table to clear.
/// </para>
/// </remarks>
internal sealed class ContextTree
{
    public const int Root = 0;

    private readonly int[] _firstChild;
    private readonly int[] _nextSibling;
    private readonly byte[] _pitch;
    private readonly int[] _firstEntry;
    private readonly int[] _entryCount;

    private readonly int[] _entryStep;
    private readonly int[] _entryNext;

    private int _nodeCount;
    private int _entriesUsed;

    public ContextTree(int stepCapacity, int maxOrder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        MaxOrder = maxOrder;
        int entries = checked(stepCapacity * maxOrder);
        int nodes = entries + 1;
        _firstChild = new int[nodes];
        _nextSibling = new int[nodes];
        _pitch = new byte[nodes];
        _firstEntry = new int[nodes];
        _entryCount = new int[nodes];
        _entryStep = new int[entries];
        _entryNext = new int[entries];
        Clear();
    }

    public int MaxOrder { get; }

    public int NodeCount => _nodeCount;

    public void Clear()
    {
        _nodeCount = 1;
        _entriesUsed = 0;
        _firstChild[Root] = -1;
        _nextSibling[Root] = -1;
        _firstEntry[Root] = -1;
        _entryCount[Root] = 0;
    }

    /// <summary>
    /// Indexes step <paramref name="index"/> of <paramref name="steps"/> under the contexts before it, back to
    /// <paramref name="phraseStart"/> (the first step of its phrase) or <see cref="MaxOrder"/> steps.
    /// </summary>
    public void Learn(ReadOnlySpan<LearnedStep> steps, int phraseStart, int index)
    {
        int node = Root;
        int oldest = Math.Max(phraseStart, index - MaxOrder);
        for (int k = index - 1; k >= oldest; k--)
        {
            node = FindOrAddChild(node, steps[k].Pitch);
            if (node < 0 || _entriesUsed == _entryStep.Length)
            {
                // Pools are sized so this cannot happen; if it did, the policy is to stop learning new contexts.
                return;
            }

            int entry = _entriesUsed++;
            _entryStep[entry] = index;
            _entryNext[entry] = _firstEntry[node];
            _firstEntry[node] = entry;
            _entryCount[node]++;
        }
    }

    /// <summary>The child of <paramref name="node"/> one pitch further back, or -1.</summary>
    public int Child(int node, byte pitch)
    {
        for (int c = _firstChild[node]; c >= 0; c = _nextSibling[c])
        {
            if (_pitch[c] == pitch)
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>How many steps followed this context (at least 1 for every node but the root).</summary>
    public int ContinuationCount(int node) => _entryCount[node];

    /// <summary>The <paramref name="n"/>-th continuation (newest first) of <paramref name="node"/>.</summary>
    public int Continuation(int node, int n)
    {
        int e = _firstEntry[node];
        for (; n > 0; n--)
        {
            e = _entryNext[e];
        }

        return _entryStep[e];
    }

    public bool HasContinuation(int node, int step)
    {
        for (int e = _firstEntry[node]; e >= 0; e = _entryNext[e])
        {
            if (_entryStep[e] == step)
            {
                return true;
            }
        }

        return false;
    }

    private int FindOrAddChild(int node, byte pitch)
    {
        int child = Child(node, pitch);
        if (child >= 0)
        {
            return child;
        }

        if (_nodeCount == _firstChild.Length)
        {
            return -1;
        }

        child = _nodeCount++;
        _pitch[child] = pitch;
        _firstChild[child] = -1;
        _firstEntry[child] = -1;
        _entryCount[child] = 0;
        _nextSibling[child] = _firstChild[node];
        _firstChild[node] = child;
        return child;
    }
}
