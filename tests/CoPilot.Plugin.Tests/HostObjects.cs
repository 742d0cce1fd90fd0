using System.Runtime.InteropServices;
using CoPilot.Vst3;

namespace CoPilot.Plugin.Tests;

// Host-side objects, written in C# on the binding's ComObject so the plugin is driven through the same
// vtables a DAW would use. Every method here is what a host implements; they are test fixtures.

/// <summary>IBStream over a byte list, optionally limited (a disk that fails, a truncated file).</summary>
internal sealed unsafe class HostStream : ComObject
{
    private static readonly ComInterface s_interface = new(Build(), Iids.IBStream);
    private readonly List<byte> _data;
    private int _position;

    public HostStream(byte[]? data = null)
        : base(s_interface)
    {
        _data = data is null ? [] : [.. data];
    }

    public int WriteLimit { get; set; } = int.MaxValue;

    public byte[] ToArray() => [.. _data];

    public nint Ptr => GetInterfacePointer(Iids.IBStream);

    public void Rewind() => _position = 0;

    private static void** Build()
    {
        void** v = NewVtable(4);
        v[3] = (delegate* unmanaged<nint, byte*, int, int*, int>)&Read;
        v[4] = (delegate* unmanaged<nint, byte*, int, int*, int>)&Write;
        v[5] = (delegate* unmanaged<nint, long, int, long*, int>)&Seek;
        v[6] = (delegate* unmanaged<nint, long*, int>)&Tell;
        return v;
    }

    [UnmanagedCallersOnly]
    private static int Read(nint self, byte* buffer, int n, int* read)
    {
        var s = FromThis<HostStream>(self);
        int count = Math.Max(0, Math.Min(n, s._data.Count - s._position));
        for (int i = 0; i < count; i++)
        {
            buffer[i] = s._data[s._position + i];
        }

        s._position += count;
        if (read != null)
        {
            *read = count;
        }

        return Result.kResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Write(nint self, byte* buffer, int n, int* written)
    {
        var s = FromThis<HostStream>(self);
        int count = Math.Max(0, Math.Min(n, s.WriteLimit - s._position));
        for (int i = 0; i < count; i++)
        {
            if (s._position < s._data.Count)
            {
                s._data[s._position] = buffer[i];
            }
            else
            {
                s._data.Add(buffer[i]);
            }

            s._position++;
        }

        if (written != null)
        {
            *written = count;
        }

        return count == n ? Result.kResultOk : Result.kResultFalse;
    }

    [UnmanagedCallersOnly]
    private static int Seek(nint self, long pos, int mode, long* result)
    {
        var s = FromThis<HostStream>(self);
        long target = mode switch { 0 => pos, 1 => s._position + pos, _ => s._data.Count + pos };
        if (target < 0 || target > s._data.Count)
        {
            return Result.kResultFalse;
        }

        s._position = (int)target;
        if (result != null)
        {
            *result = target;
        }

        return Result.kResultOk;
    }

    [UnmanagedCallersOnly]
    private static int Tell(nint self, long* pos)
    {
        if (pos != null)
        {
            *pos = FromThis<HostStream>(self)._position;
        }

        return Result.kResultOk;
    }
}

/// <summary>IEventList with a fixed capacity, preallocated: adding never allocates, like a real host's.</summary>
internal sealed unsafe class HostEventList : ComObject
{
    private static readonly ComInterface s_interface = new(Build(), Iids.IEventList);
    private readonly Event[] _events;

    public HostEventList(int capacity = 512)
        : base(s_interface)
    {
        _events = new Event[capacity];
    }

    public int Count { get; private set; }

    public int Capacity
    {
        get => _capacity ?? _events.Length;
        set => _capacity = Math.Min(value, _events.Length);
    }

    private int? _capacity;

    public nint Ptr => GetInterfacePointer(Iids.IEventList);

    public ReadOnlySpan<Event> Events => _events.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Add(Event e)
    {
        _events[Count++] = e;
    }

    public void NoteOn(int offset, int channel, int pitch, float velocity = 0.8f, int noteId = -1)
    {
        Event e = default;
        e.sampleOffset = offset;
        e.type = Event.kNoteOnEvent;
        e.noteOn.channel = (short)channel;
        e.noteOn.pitch = (short)pitch;
        e.noteOn.velocity = velocity;
        e.noteOn.noteId = noteId;
        Add(e);
    }

    public void NoteOff(int offset, int channel, int pitch, int noteId = -1)
    {
        Event e = default;
        e.sampleOffset = offset;
        e.type = Event.kNoteOffEvent;
        e.noteOff.channel = (short)channel;
        e.noteOff.pitch = (short)pitch;
        e.noteOff.noteId = noteId;
        Add(e);
    }

    private static void** Build()
    {
        void** v = NewVtable(3);
        v[3] = (delegate* unmanaged<nint, int>)&GetEventCount;
        v[4] = (delegate* unmanaged<nint, int, Event*, int>)&GetEvent;
        v[5] = (delegate* unmanaged<nint, Event*, int>)&AddEvent;
        return v;
    }

    [UnmanagedCallersOnly]
    private static int GetEventCount(nint self) => FromThis<HostEventList>(self).Count;

    [UnmanagedCallersOnly]
    private static int GetEvent(nint self, int index, Event* e)
    {
        var list = FromThis<HostEventList>(self);
        if ((uint)index >= (uint)list.Count || e == null)
        {
            return Result.kInvalidArgument;
        }

        *e = list._events[index];
        return Result.kResultOk;
    }

    [UnmanagedCallersOnly]
    private static int AddEvent(nint self, Event* e)
    {
        var list = FromThis<HostEventList>(self);
        if (list.Count >= list.Capacity || e == null)
        {
            return Result.kResultFalse;
        }

        list._events[list.Count++] = *e;
        return Result.kResultOk;
    }
}

/// <summary>IParameterChanges holding IParamValueQueues, preallocated.</summary>
internal sealed unsafe class HostParameterChanges : ComObject
{
    private static readonly ComInterface s_interface = new(Build(), Iids.IParameterChanges);
    private readonly HostParamQueue[] _queues;

    public HostParameterChanges(int capacity = 16)
        : base(s_interface)
    {
        _queues = new HostParamQueue[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _queues[i] = new HostParamQueue();
        }
    }

    public int Count { get; private set; }

    public nint Ptr => GetInterfacePointer(Iids.IParameterChanges);

    public HostParamQueue this[int index] => _queues[index];

    public void Clear()
    {
        for (int i = 0; i < Count; i++)
        {
            _queues[i].Clear();
        }

        Count = 0;
    }

    public void Add(uint id, int offset, double value) => QueueFor(id).AddPoint(offset, value);

    public HostParamQueue? Find(uint id)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_queues[i].Id == id)
            {
                return _queues[i];
            }
        }

        return null;
    }

    private HostParamQueue QueueFor(uint id)
    {
        HostParamQueue? q = Find(id);
        if (q is not null)
        {
            return q;
        }

        q = _queues[Count++];
        q.Id = id;
        return q;
    }

    private static void** Build()
    {
        void** v = NewVtable(3);
        v[3] = (delegate* unmanaged<nint, int>)&GetParameterCount;
        v[4] = (delegate* unmanaged<nint, int, nint>)&GetParameterData;
        v[5] = (delegate* unmanaged<nint, uint*, int*, nint>)&AddParameterData;
        return v;
    }

    [UnmanagedCallersOnly]
    private static int GetParameterCount(nint self) => FromThis<HostParameterChanges>(self).Count;

    [UnmanagedCallersOnly]
    private static nint GetParameterData(nint self, int index)
    {
        var c = FromThis<HostParameterChanges>(self);
        return (uint)index < (uint)c.Count ? c._queues[index].Ptr : 0;
    }

    [UnmanagedCallersOnly]
    private static nint AddParameterData(nint self, uint* id, int* index)
    {
        var c = FromThis<HostParameterChanges>(self);
        if (c.Find(*id) is null && c.Count >= c._queues.Length)
        {
            return 0;
        }

        HostParamQueue q = c.QueueFor(*id);
        *index = Array.IndexOf(c._queues, q);
        return q.Ptr;
    }
}

/// <summary>IParamValueQueue: points of one parameter within one block.</summary>
internal sealed unsafe class HostParamQueue : ComObject
{
    private static readonly ComInterface s_interface = new(Build(), Iids.IParamValueQueue);
    private readonly (int Offset, double Value)[] _points = new (int, double)[64];

    public HostParamQueue()
        : base(s_interface)
    {
    }

    public uint Id { get; set; }

    public int Count { get; private set; }

    public nint Ptr => GetInterfacePointer(Iids.IParamValueQueue);

    public (int Offset, double Value) this[int index] => _points[index];

    public void Clear() => Count = 0;

    public void AddPoint(int offset, double value) => _points[Count++] = (offset, value);

    private static void** Build()
    {
        void** v = NewVtable(4);
        v[3] = (delegate* unmanaged<nint, uint>)&GetParameterId;
        v[4] = (delegate* unmanaged<nint, int>)&GetPointCount;
        v[5] = (delegate* unmanaged<nint, int, int*, double*, int>)&GetPoint;
        v[6] = (delegate* unmanaged<nint, int, double, int*, int>)&AddPointThunk;
        return v;
    }

    [UnmanagedCallersOnly]
    private static uint GetParameterId(nint self) => FromThis<HostParamQueue>(self).Id;

    [UnmanagedCallersOnly]
    private static int GetPointCount(nint self) => FromThis<HostParamQueue>(self).Count;

    [UnmanagedCallersOnly]
    private static int GetPoint(nint self, int index, int* offset, double* value)
    {
        var q = FromThis<HostParamQueue>(self);
        if ((uint)index >= (uint)q.Count)
        {
            return Result.kInvalidArgument;
        }

        *offset = q._points[index].Offset;
        *value = q._points[index].Value;
        return Result.kResultOk;
    }

    [UnmanagedCallersOnly]
    private static int AddPointThunk(nint self, int offset, double value, int* index)
    {
        var q = FromThis<HostParamQueue>(self);
        if (q.Count >= q._points.Length)
        {
            return Result.kResultFalse;
        }

        *index = q.Count;
        q.AddPoint(offset, value);
        return Result.kResultOk;
    }
}

/// <summary>IHostApplication: the context initialize() receives.</summary>
internal sealed unsafe class HostApplication : ComObject
{
    private static readonly ComInterface s_interface = new(Build(), Iids.IHostApplication);

    public HostApplication()
        : base(s_interface)
    {
    }

    public nint Ptr => GetInterfacePointer(Iids.IHostApplication);

    private static void** Build()
    {
        void** v = NewVtable(2);
        v[3] = (delegate* unmanaged<nint, char*, int>)&GetName;
        v[4] = (delegate* unmanaged<nint, Tuid*, Tuid*, void**, int>)&CreateInstance;
        return v;
    }

    [UnmanagedCallersOnly]
    private static int GetName(nint self, char* name)
    {
        Strings.CopyUtf16("CoPilot test host", name, 128);
        return Result.kResultOk;
    }

    [UnmanagedCallersOnly]
    private static int CreateInstance(nint self, Tuid* cid, Tuid* iid, void** obj)
    {
        *obj = null;
        return Result.kNotImplemented;
    }
}
