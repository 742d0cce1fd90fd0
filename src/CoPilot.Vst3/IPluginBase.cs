namespace CoPilot.Vst3;

/// <summary>pluginterfaces/base/ipluginbase.h: IPluginBase. [UI thread]</summary>
public interface IPluginBase
{
    /// <param name="context">The host's FUnknown (IHostApplication expected); 0 is a host error.</param>
    int Initialize(FUnknownPtr context);

    int Terminate();
}
