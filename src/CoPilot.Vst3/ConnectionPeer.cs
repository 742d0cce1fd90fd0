namespace CoPilot.Vst3;

/// <summary>
/// The other side of an IConnectionPoint link (processor ↔ controller), holding one reference to it
/// while connected, as the SDK's ComponentBase does.
/// </summary>
public struct ConnectionPeer
{
    private IConnectionPointPtr _peer;

    public readonly bool IsConnected => !_peer.IsNull;

    public readonly IConnectionPointPtr Peer => _peer;

    public int Connect(IConnectionPointPtr other)
    {
        if (IsConnected)
        {
            return Result.kResultFalse;
        }

        new FUnknownPtr(other.Ptr).AddRef();
        _peer = other;
        return Result.kResultOk;
    }

    public int Disconnect(IConnectionPointPtr other)
    {
        if (!IsConnected || _peer.Ptr != other.Ptr)
        {
            return Result.kResultFalse;
        }

        Release();
        return Result.kResultOk;
    }

    /// <summary>Drops the reference (terminate without disconnect).</summary>
    public void Release()
    {
        new FUnknownPtr(_peer.Ptr).Release();
        _peer = default;
    }
}
