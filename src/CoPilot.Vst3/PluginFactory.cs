using System.Runtime.InteropServices;

namespace CoPilot.Vst3;

/// <summary>One class the factory can create (a row of PClassInfo2/PClassInfoW).</summary>
public sealed class ClassEntry
{
    public required Tuid Cid { get; init; }

    /// <summary>"Audio Module Class" for a processor, "Component Controller Class" for a controller.</summary>
    public required string Category { get; init; }

    public required string Name { get; init; }

    public uint ClassFlags { get; init; }

    /// <summary>Sub-categories separated by '|', e.g. "Fx|Generator".</summary>
    public string SubCategories { get; init; } = "";

    public int Cardinality { get; init; } = PClassInfo.kManyInstances;

    public required string Vendor { get; init; }

    public required string Version { get; init; }

    public required string SdkVersion { get; init; }

    public required Func<ComObject> Create { get; init; }
}

/// <summary>Who made the plugin (PFactoryInfo).</summary>
public sealed record FactoryInfo(string Vendor, string Url, string Email, int Flags = PFactoryInfo.kUnicode);

/// <summary>
/// pluginterfaces/base/ipluginbase.h: IPluginFactory, IPluginFactory2 and IPluginFactory3 in one vtable.
/// </summary>
public sealed unsafe class PluginFactory : ComObject
{
    private static readonly ComInterface s_interface = new(BuildVtable(), Iids.IPluginFactory3, Iids.IPluginFactory2, Iids.IPluginFactory);

    private readonly FactoryInfo _info;
    private readonly ClassEntry[] _classes;
    private FUnknownPtr _hostContext;

    public PluginFactory(FactoryInfo info, params ClassEntry[] classes)
        : base(s_interface)
    {
        _info = info;
        _classes = classes;
    }

    /// <summary>Raised when the factory's last reference is released.</summary>
    public event Action<PluginFactory>? Released;

    public IReadOnlyList<ClassEntry> Classes => _classes;

    public int GetFactoryInfo(PFactoryInfo* info)
    {
        *info = default;
        Strings.CopyUtf8(_info.Vendor, info->vendor, PFactoryInfo.kNameSize);
        Strings.CopyUtf8(_info.Url, info->url, PFactoryInfo.kURLSize);
        Strings.CopyUtf8(_info.Email, info->email, PFactoryInfo.kEmailSize);
        info->flags = _info.Flags;
        return Result.kResultOk;
    }

    public int CountClasses() => _classes.Length;

    public int GetClassInfo(int index, PClassInfo* info)
    {
        if ((uint)index >= (uint)_classes.Length)
        {
            return Result.kInvalidArgument;
        }

        ClassEntry c = _classes[index];
        *info = default;
        info->cid = c.Cid;
        info->cardinality = c.Cardinality;
        Strings.CopyUtf8(c.Category, info->category, PClassInfo.kCategorySize);
        Strings.CopyUtf8(c.Name, info->name, PClassInfo.kNameSize);
        return Result.kResultOk;
    }

    public int GetClassInfo2(int index, PClassInfo2* info)
    {
        // PClassInfo2 begins with PClassInfo's fields in the same layout (ipluginbase.h).
        *info = default;
        int result = GetClassInfo(index, (PClassInfo*)info);
        if (result != Result.kResultOk)
        {
            return result;
        }

        ClassEntry c = _classes[index];
        info->classFlags = c.ClassFlags;
        Strings.CopyUtf8(c.SubCategories, info->subCategories, PClassInfo2.kSubCategoriesSize);
        Strings.CopyUtf8(c.Vendor, info->vendor, PClassInfo2.kVendorSize);
        Strings.CopyUtf8(c.Version, info->version, PClassInfo2.kVersionSize);
        Strings.CopyUtf8(c.SdkVersion, info->sdkVersion, PClassInfo2.kVersionSize);
        return Result.kResultOk;
    }

    public int GetClassInfoUnicode(int index, PClassInfoW* info)
    {
        if ((uint)index >= (uint)_classes.Length)
        {
            return Result.kInvalidArgument;
        }

        ClassEntry c = _classes[index];
        *info = default;
        info->cid = c.Cid;
        info->cardinality = c.Cardinality;
        Strings.CopyUtf8(c.Category, info->category, PClassInfo.kCategorySize);
        Strings.CopyUtf16(c.Name, info->name, PClassInfo.kNameSize);
        info->classFlags = c.ClassFlags;
        Strings.CopyUtf8(c.SubCategories, info->subCategories, PClassInfo2.kSubCategoriesSize);
        Strings.CopyUtf16(c.Vendor, info->vendor, PClassInfo2.kVendorSize);
        Strings.CopyUtf16(c.Version, info->version, PClassInfo2.kVersionSize);
        Strings.CopyUtf16(c.SdkVersion, info->sdkVersion, PClassInfo2.kVersionSize);
        return Result.kResultOk;
    }

    /// <summary>Creates a class instance and returns the requested interface with one reference.</summary>
    public int CreateInstance(in Tuid cid, in Tuid iid, void** obj)
    {
        *obj = null;
        foreach (ClassEntry c in _classes)
        {
            if (c.Cid != cid)
            {
                continue;
            }

            ComObject instance = c.Create();
            nint p = instance.QueryInterfacePointer(iid);
            instance.Release(); // drop the creation reference: the caller now holds the only one
            if (p == 0)
            {
                return Result.kNoInterface;
            }

            *obj = (void*)p;
            return Result.kResultOk;
        }

        return Result.kNoInterface;
    }

    public int SetHostContext(FUnknownPtr context)
    {
        // Keep one reference for as long as the factory lives, as the SDK's factory does.
        context.AddRef();
        _hostContext.Release();
        _hostContext = context;
        return Result.kResultOk;
    }

    protected override void OnFinalRelease()
    {
        _hostContext.Release();
        _hostContext = default;
        Released?.Invoke(this);
    }

    private static void** BuildVtable()
    {
        void** v = NewVtable(7);
        v[3] = (delegate* unmanaged<nint, PFactoryInfo*, int>)&GetFactoryInfoThunk;
        v[4] = (delegate* unmanaged<nint, int>)&CountClassesThunk;
        v[5] = (delegate* unmanaged<nint, int, PClassInfo*, int>)&GetClassInfoThunk;
        v[6] = (delegate* unmanaged<nint, Tuid*, Tuid*, void**, int>)&CreateInstanceThunk;
        v[7] = (delegate* unmanaged<nint, int, PClassInfo2*, int>)&GetClassInfo2Thunk;
        v[8] = (delegate* unmanaged<nint, int, PClassInfoW*, int>)&GetClassInfoUnicodeThunk;
        v[9] = (delegate* unmanaged<nint, nint, int>)&SetHostContextThunk;
        return v;
    }

    private static PluginFactory Self(nint self) => FromThis<PluginFactory>(self);

    [UnmanagedCallersOnly]
    private static int GetFactoryInfoThunk(nint self, PFactoryInfo* info)
    {
        try
        {
            return info == null ? Result.kInvalidArgument : Self(self).GetFactoryInfo(info);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int CountClassesThunk(nint self)
    {
        try
        {
            return Self(self).CountClasses();
        }
        catch (Exception e)
        {
            Boundary.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static int GetClassInfoThunk(nint self, int index, PClassInfo* info)
    {
        try
        {
            return info == null ? Result.kInvalidArgument : Self(self).GetClassInfo(index, info);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int CreateInstanceThunk(nint self, Tuid* cid, Tuid* iid, void** obj)
    {
        try
        {
            if (obj == null)
            {
                return Result.kInvalidArgument;
            }

            *obj = null;
            return cid == null || iid == null ? Result.kInvalidArgument : Self(self).CreateInstance(*cid, *iid, obj);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetClassInfo2Thunk(nint self, int index, PClassInfo2* info)
    {
        try
        {
            return info == null ? Result.kInvalidArgument : Self(self).GetClassInfo2(index, info);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int GetClassInfoUnicodeThunk(nint self, int index, PClassInfoW* info)
    {
        try
        {
            return info == null ? Result.kInvalidArgument : Self(self).GetClassInfoUnicode(index, info);
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int SetHostContextThunk(nint self, nint context)
    {
        try
        {
            return Self(self).SetHostContext(new FUnknownPtr(context));
        }
        catch (Exception e)
        {
            return Boundary.Fail(e);
        }
    }
}
