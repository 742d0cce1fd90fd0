using System.Runtime.InteropServices;

namespace CoPilot.Vst3;

/// <summary>pluginterfaces/base/ipluginbase.h: IPluginBase. [UI thread]</summary>
public interface IPluginBase
{
    /// <param name="context">The host's FUnknown (IHostApplication expected); 0 is a host error.</param>
    int Initialize(FUnknownPtr context);

    int Terminate();
}

/// <summary>
/// The IPluginBase slots (3 and 4) shared by every vtable that derives from it (IComponent,
/// IEditController).
/// </summary>
internal static unsafe class IPluginBaseThunks
{
    public static void Fill(void** vtbl)
    {
        vtbl[3] = (delegate* unmanaged<nint, nint, int>)&Initialize;
        vtbl[4] = (delegate* unmanaged<nint, int>)&Terminate;
    }

    [UnmanagedCallersOnly]
    private static int Initialize(nint self, nint context)
    {
        try
        {
            return ComObject.FromThis<IPluginBase>(self).Initialize(new FUnknownPtr(context));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int Terminate(nint self)
    {
        try
        {
            return ComObject.FromThis<IPluginBase>(self).Terminate();
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }
}
