using System.Runtime.InteropServices;

namespace CoPilot.Vst3;

/// <summary>pluginterfaces/vst/ivstcomponent.h: IComponent. [UI thread]</summary>
public unsafe interface IComponent : IPluginBase
{
    int GetControllerClassId(Tuid* classId);

    int SetIoMode(int mode);

    int GetBusCount(int type, int dir);

    int GetBusInfo(int type, int dir, int index, BusInfo* bus);

    int GetRoutingInfo(RoutingInfo* inInfo, RoutingInfo* outInfo);

    int ActivateBus(int type, int dir, int index, bool state);

    int SetActive(bool state);

    int SetState(IBStreamPtr state);

    int GetState(IBStreamPtr state);
}

/// <summary>The C++ vtable of IComponent (FUnknown, IPluginBase, IComponent methods in header order).</summary>
public static unsafe class IComponentVtbl
{
    public static readonly ComInterface Interface = new(Build(), Iids.IComponent, Iids.IPluginBase);

    private static void** Build()
    {
        void** v = ComObject.NewVtable(11);
        IPluginBaseThunks.Fill(v);
        v[5] = (delegate* unmanaged<nint, Tuid*, int>)&GetControllerClassId;
        v[6] = (delegate* unmanaged<nint, int, int>)&SetIoMode;
        v[7] = (delegate* unmanaged<nint, int, int, int>)&GetBusCount;
        v[8] = (delegate* unmanaged<nint, int, int, int, BusInfo*, int>)&GetBusInfo;
        v[9] = (delegate* unmanaged<nint, RoutingInfo*, RoutingInfo*, int>)&GetRoutingInfo;
        v[10] = (delegate* unmanaged<nint, int, int, int, byte, int>)&ActivateBus;
        v[11] = (delegate* unmanaged<nint, byte, int>)&SetActive;
        v[12] = (delegate* unmanaged<nint, nint, int>)&SetState;
        v[13] = (delegate* unmanaged<nint, nint, int>)&GetState;
        return v;
    }

    private static IComponent Self(nint self) => ComObject.FromThis<IComponent>(self);

    [UnmanagedCallersOnly]
    private static int GetControllerClassId(nint self, Tuid* classId)
    {
        try
        {
            return classId == null ? Result.kInvalidArgument : Self(self).GetControllerClassId(classId);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int SetIoMode(nint self, int mode)
    {
        try
        {
            return Self(self).SetIoMode(mode);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetBusCount(nint self, int type, int dir)
    {
        try
        {
            return Self(self).GetBusCount(type, dir);
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static int GetBusInfo(nint self, int type, int dir, int index, BusInfo* bus)
    {
        try
        {
            return bus == null ? Result.kInvalidArgument : Self(self).GetBusInfo(type, dir, index, bus);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetRoutingInfo(nint self, RoutingInfo* inInfo, RoutingInfo* outInfo)
    {
        try
        {
            return inInfo == null || outInfo == null ? Result.kInvalidArgument : Self(self).GetRoutingInfo(inInfo, outInfo);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int ActivateBus(nint self, int type, int dir, int index, byte state)
    {
        try
        {
            return Self(self).ActivateBus(type, dir, index, state != 0);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int SetActive(nint self, byte state)
    {
        try
        {
            return Self(self).SetActive(state != 0);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int SetState(nint self, nint state)
    {
        try
        {
            return state == 0 ? Result.kInvalidArgument : Self(self).SetState(new IBStreamPtr(state));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetState(nint self, nint state)
    {
        try
        {
            return state == 0 ? Result.kInvalidArgument : Self(self).GetState(new IBStreamPtr(state));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }
}
