using CoPilot.Vst3;

namespace CoPilot.Vst3.Tests;

/// <summary>IPluginFactory/2/3 through the factory's vtable, as a host scans and instantiates a plugin.</summary>
public sealed unsafe class PluginFactoryTests : IDisposable
{
    private static readonly Tuid ProcessorCid = Tuid.FromWords(0x11111111, 0x22222222, 0x33333333, 0x44444444, comCompatible: false);
    private static readonly Tuid ControllerCid = Tuid.FromWords(0x55555555, 0x66666666, 0x77777777, 0x88888888, comCompatible: false);

    private const string Vendor = "Ærø Audio ♪ 𝄞";

    private readonly List<ConnectionMidiObject> _created = [];
    private readonly PluginFactory _factory;
    private readonly nint _ptr;

    public PluginFactoryTests()
    {
        _factory = new PluginFactory(
            new FactoryInfo("Ærø Audio", "https://example.org/copilot", "info@example.org"),
            new ClassEntry
            {
                Cid = ProcessorCid,
                Category = "Audio Module Class",
                Name = "CoPilot",
                ClassFlags = ComponentFlags.kDistributable,
                SubCategories = "Fx|Generator",
                Vendor = Vendor,
                Version = "1.2.3",
                SdkVersion = "VST 3.7.14",
                Create = Create,
            },
            new ClassEntry
            {
                Cid = ControllerCid,
                Category = "Component Controller Class",
                Name = "CoPilotController",
                Cardinality = 1,
                Vendor = Vendor,
                Version = "1.2.3",
                SdkVersion = "VST 3.7.14",
                Create = Create,
            });
        _ptr = _factory.GetInterfacePointer(Iids.IPluginFactory3);
    }

    public void Dispose()
    {
        // The factory first: it releases the host context it holds, which must still be alive then.
        while (!_factory.IsReleased)
        {
            _factory.Release();
        }

        foreach (ConnectionMidiObject o in _created)
        {
            while (!o.IsReleased)
            {
                o.Release();
            }
        }
    }

    private ConnectionMidiObject Create()
    {
        var o = new ConnectionMidiObject();
        _created.Add(o);
        return o;
    }

    private int GetFactoryInfo(PFactoryInfo* info) => ((delegate* unmanaged<nint, PFactoryInfo*, int>)Vtbl.Slot(_ptr, 3))(_ptr, info);

    private int CountClasses() => ((delegate* unmanaged<nint, int>)Vtbl.Slot(_ptr, 4))(_ptr);

    private int GetClassInfo(int index, PClassInfo* info) => ((delegate* unmanaged<nint, int, PClassInfo*, int>)Vtbl.Slot(_ptr, 5))(_ptr, index, info);

    private int CreateInstance(Tuid* cid, Tuid* iid, void** obj) =>
        ((delegate* unmanaged<nint, Tuid*, Tuid*, void**, int>)Vtbl.Slot(_ptr, 6))(_ptr, cid, iid, obj);

    private int GetClassInfo2(int index, PClassInfo2* info) => ((delegate* unmanaged<nint, int, PClassInfo2*, int>)Vtbl.Slot(_ptr, 7))(_ptr, index, info);

    private int GetClassInfoUnicode(int index, PClassInfoW* info) => ((delegate* unmanaged<nint, int, PClassInfoW*, int>)Vtbl.Slot(_ptr, 8))(_ptr, index, info);

    private int SetHostContext(nint context) => ((delegate* unmanaged<nint, nint, int>)Vtbl.Slot(_ptr, 9))(_ptr, context);

    [Fact]
    public void One_vtable_answers_all_three_factory_iids_and_FUnknown()
    {
        Assert.NotEqual(0, _ptr);
        Assert.Equal(_ptr, _factory.GetInterfacePointer(Iids.IPluginFactory));
        Assert.Equal(_ptr, _factory.GetInterfacePointer(Iids.IPluginFactory2));
        Assert.Equal(Result.kResultOk, Vtbl.QueryInterface(_ptr, Iids.FUnknown, out nint unknown));
        Assert.Equal(_ptr, unknown);
        Vtbl.Release(unknown);
        Assert.Equal(Result.kNoInterface, Vtbl.QueryInterface(_ptr, Iids.IComponent, out _));
    }

    [Fact]
    public void GetFactoryInfo_fills_vendor_url_email_and_unicode_flag()
    {
        PFactoryInfo info;
        new Span<byte>(&info, sizeof(PFactoryInfo)).Fill(0xCC); // garbage the factory must overwrite
        Assert.Equal(Result.kResultOk, GetFactoryInfo(&info));
        Assert.Equal("Ærø Audio", Strings.FromUtf8(info.vendor, PFactoryInfo.kNameSize));
        Assert.Equal("https://example.org/copilot", Strings.FromUtf8(info.url, PFactoryInfo.kURLSize));
        Assert.Equal("info@example.org", Strings.FromUtf8(info.email, PFactoryInfo.kEmailSize));
        Assert.Equal(PFactoryInfo.kUnicode, info.flags);
        Assert.Equal(Result.kInvalidArgument, GetFactoryInfo(null));
    }

    [Fact]
    public void CountClasses_counts_the_rows()
    {
        Assert.Equal(2, CountClasses());
        Assert.Equal(2, _factory.Classes.Count);
    }

    [Fact]
    public void GetClassInfo_fills_cid_cardinality_category_and_name()
    {
        PClassInfo info;
        Assert.Equal(Result.kResultOk, GetClassInfo(0, &info));
        Assert.Equal(ProcessorCid, info.cid);
        Assert.Equal(PClassInfo.kManyInstances, info.cardinality);
        Assert.Equal("Audio Module Class", Strings.FromUtf8(info.category, PClassInfo.kCategorySize));
        Assert.Equal("CoPilot", Strings.FromUtf8(info.name, PClassInfo.kNameSize));

        Assert.Equal(Result.kResultOk, GetClassInfo(1, &info));
        Assert.Equal(ControllerCid, info.cid);
        Assert.Equal(1, info.cardinality);
        Assert.Equal("Component Controller Class", Strings.FromUtf8(info.category, PClassInfo.kCategorySize));
        Assert.Equal("CoPilotController", Strings.FromUtf8(info.name, PClassInfo.kNameSize));
    }

    [Fact]
    public void GetClassInfo2_fills_flags_subcategories_vendor_and_versions()
    {
        PClassInfo2 info;
        new Span<byte>(&info, sizeof(PClassInfo2)).Fill(0xCC);
        Assert.Equal(Result.kResultOk, GetClassInfo2(0, &info));
        Assert.Equal(ProcessorCid, info.cid);
        Assert.Equal("CoPilot", Strings.FromUtf8(info.name, PClassInfo.kNameSize));
        Assert.Equal(ComponentFlags.kDistributable, info.classFlags);
        Assert.Equal("Fx|Generator", Strings.FromUtf8(info.subCategories, PClassInfo2.kSubCategoriesSize));
        Assert.Equal(Vendor, Strings.FromUtf8(info.vendor, PClassInfo2.kVendorSize));
        Assert.Equal("1.2.3", Strings.FromUtf8(info.version, PClassInfo2.kVersionSize));
        Assert.Equal("VST 3.7.14", Strings.FromUtf8(info.sdkVersion, PClassInfo2.kVersionSize));

        Assert.Equal(Result.kResultOk, GetClassInfo2(1, &info));
        Assert.Equal(0u, info.classFlags);
        Assert.Equal("", Strings.FromUtf8(info.subCategories, PClassInfo2.kSubCategoriesSize));
    }

    [Fact]
    public void GetClassInfoUnicode_writes_utf16_names_and_vendor()
    {
        PClassInfoW info;
        new Span<byte>(&info, sizeof(PClassInfoW)).Fill(0xCC);
        Assert.Equal(Result.kResultOk, GetClassInfoUnicode(1, &info));
        Assert.Equal(ControllerCid, info.cid);
        Assert.Equal(1, info.cardinality);
        Assert.Equal("Component Controller Class", Strings.FromUtf8(info.category, PClassInfo.kCategorySize));
        Assert.Equal("CoPilotController", Strings.FromUtf16(info.name, PClassInfo.kNameSize));
        Assert.Equal(Vendor, Strings.FromUtf16(info.vendor, PClassInfo2.kVendorSize));
        Assert.Equal("1.2.3", Strings.FromUtf16(info.version, PClassInfo2.kVersionSize));
        Assert.Equal("VST 3.7.14", Strings.FromUtf16(info.sdkVersion, PClassInfo2.kVersionSize));

        // The vendor's raw UTF-16 code units, surrogate pair included, then the terminator.
        Assert.Equal('Æ', info.vendor[0]);
        Assert.Equal('\uD834', info.vendor[Vendor.Length - 2]);
        Assert.Equal('\uDD1E', info.vendor[Vendor.Length - 1]);
        Assert.Equal('\0', info.vendor[Vendor.Length]);

        Assert.Equal(Result.kResultOk, GetClassInfoUnicode(0, &info));
        Assert.Equal("Fx|Generator", Strings.FromUtf8(info.subCategories, PClassInfo2.kSubCategoriesSize));
        Assert.Equal(ComponentFlags.kDistributable, info.classFlags);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Out_of_range_indices_are_kInvalidArgument(int index)
    {
        PClassInfo a;
        PClassInfo2 b;
        PClassInfoW c;
        Assert.Equal(Result.kInvalidArgument, GetClassInfo(index, &a));
        Assert.Equal(Result.kInvalidArgument, GetClassInfo2(index, &b));
        Assert.Equal(Result.kInvalidArgument, GetClassInfoUnicode(index, &c));
    }

    [Fact]
    public void Null_info_pointers_are_kInvalidArgument()
    {
        Assert.Equal(Result.kInvalidArgument, GetClassInfo(0, null));
        Assert.Equal(Result.kInvalidArgument, GetClassInfo2(0, null));
        Assert.Equal(Result.kInvalidArgument, GetClassInfoUnicode(0, null));
    }

    [Fact]
    public void CreateInstance_with_an_unknown_cid_is_kNoInterface_and_creates_nothing()
    {
        Tuid cid = Tuid.FromWords(9, 9, 9, 9, comCompatible: false);
        Tuid iid = Iids.IConnectionPoint;
        void* obj = (void*)0x1234;
        Assert.Equal(Result.kNoInterface, CreateInstance(&cid, &iid, &obj));
        Assert.True(obj == null);
        Assert.Empty(_created);
    }

    [Fact]
    public void CreateInstance_with_an_unsupported_iid_is_kNoInterface_and_releases_the_new_object()
    {
        Tuid cid = ProcessorCid;
        Tuid iid = Iids.IAudioProcessor;
        void* obj = (void*)0x1234;
        Assert.Equal(Result.kNoInterface, CreateInstance(&cid, &iid, &obj));
        Assert.True(obj == null);
        ConnectionMidiObject created = Assert.Single(_created);
        Assert.True(created.IsReleased);
        Assert.Equal(1, created.FinalReleases);
    }

    [Fact]
    public void CreateInstance_with_a_supported_iid_returns_that_interface_with_one_reference()
    {
        Tuid cid = ControllerCid;
        Tuid iid = Iids.IMidiMapping;
        void* obj = null;
        Assert.Equal(Result.kResultOk, CreateInstance(&cid, &iid, &obj));
        ConnectionMidiObject created = Assert.Single(_created);
        Assert.Equal(created.GetInterfacePointer(Iids.IMidiMapping), (nint)obj);
        Assert.Equal(1, created.RefCount);
        Assert.False(created.IsReleased);

        // The host's single Release destroys it.
        Assert.Equal(0u, Vtbl.Release((nint)obj));
        Assert.True(created.IsReleased);
        Assert.Equal(1, created.FinalReleases);
    }

    [Fact]
    public void Every_CreateInstance_makes_a_new_object()
    {
        Tuid cid = ProcessorCid;
        Tuid iid = Iids.FUnknown;
        void* a = null;
        void* b = null;
        Assert.Equal(Result.kResultOk, CreateInstance(&cid, &iid, &a));
        Assert.Equal(Result.kResultOk, CreateInstance(&cid, &iid, &b));
        Assert.True(a != b);
        Assert.Equal(2, _created.Count);
        Assert.All(_created, o => Assert.Equal(1, o.RefCount));
    }

    [Fact]
    public void CreateInstance_with_null_pointers_is_kInvalidArgument()
    {
        Tuid cid = ProcessorCid;
        Tuid iid = Iids.IConnectionPoint;
        void* obj = (void*)0x1234;
        Assert.Equal(Result.kInvalidArgument, CreateInstance(&cid, &iid, null));
        Assert.Equal(Result.kInvalidArgument, CreateInstance(null, &iid, &obj));
        Assert.True(obj == null);
        obj = (void*)0x1234;
        Assert.Equal(Result.kInvalidArgument, CreateInstance(&cid, null, &obj));
        Assert.True(obj == null);
        Assert.Empty(_created);
    }

    [Fact]
    public void SetHostContext_holds_one_reference_until_replaced_or_the_factory_is_released()
    {
        var host1 = new ConnectionMidiObject();
        var host2 = new ConnectionMidiObject();
        _created.Add(host1);
        _created.Add(host2);

        Assert.Equal(Result.kResultOk, SetHostContext(host1.GetInterfacePointer(Iids.FUnknown)));
        Assert.Equal(2, host1.RefCount);

        Assert.Equal(Result.kResultOk, SetHostContext(host2.GetInterfacePointer(Iids.FUnknown)));
        Assert.Equal(1, host1.RefCount);
        Assert.Equal(2, host2.RefCount);

        PluginFactory? released = null;
        _factory.Released += f => released = f;
        Assert.Equal(0u, Vtbl.Release(_ptr));
        Assert.True(_factory.IsReleased);
        Assert.Same(_factory, released);
        Assert.Equal(1, host2.RefCount);
        Assert.Equal(1, host1.RefCount);
    }

    [Fact]
    public void SetHostContext_with_the_same_context_twice_keeps_it_alive()
    {
        var host = new ConnectionMidiObject();
        _created.Add(host);
        nint p = host.GetInterfacePointer(Iids.FUnknown);

        Assert.Equal(Result.kResultOk, SetHostContext(p));
        Assert.Equal(Result.kResultOk, SetHostContext(p));
        Assert.Equal(2, host.RefCount);
        Assert.False(host.IsReleased);
    }
}
