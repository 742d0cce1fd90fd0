namespace CoPilot.Evaluation.Corpus;

/// <summary>Why a song has no token sequence in a view.</summary>
public enum RejectionReason
{
    /// <summary>A metre (or a bar length) without a token, such as 9/4 or 11/4.</summary>
    MetreWithoutToken,

    /// <summary>POP909: no downbeat in beat_midi.txt, so no bar lines.</summary>
    NoBarLines,

    /// <summary>The view's voices have no note in this song (a Nottingham tune with an empty chord track has no chords).</summary>
    EmptyView,

    /// <summary>The quantised piece broke a rule of the tokenizer (a bug if it ever happens).</summary>
    NotTokenizable,
}

/// <summary>A song left out of a view and why.</summary>
public sealed record Rejection(string Id, RejectionReason Reason, string Detail)
{
    public override string ToString() => $"{Id}: {Reason}: {Detail}";
}
