// host_objects.h - the host-side COM objects a VST3 plugin talks to: host context, message and
// attribute list, memory stream, event lists, parameter changes and the component handler.
//
// All objects count references for real (they start at 1, owned by whoever created them, and
// delete themselves when the count reaches 0) so that a plugin that forgets to release, or releases
// once too often, shows up in refCount(). The objects used on the audio thread (EventList,
// ParameterChanges, ParamValueQueue) never allocate after construction: their capacity is fixed and
// a full list answers kResultFalse, exactly what a real host's preallocated lists do.
#pragma once

#include "vst3_abi.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace host {

using namespace vst3;

// Shared refcount helper: `Self` is the most derived class; `delete` happens through it.
class RefCounted {
  public:
    uint32 refCount() const { return refs_.load(std::memory_order_acquire); }

  protected:
    uint32 addRefImpl() { return refs_.fetch_add(1, std::memory_order_relaxed) + 1; }
    template <typename Self> uint32 releaseImpl(Self* self) {
        uint32 left = refs_.fetch_sub(1, std::memory_order_acq_rel) - 1;
        if (left == 0 && deletable_) delete self;
        return left;
    }
    std::atomic<uint32> refs_{1};
    bool deletable_ = true; // false for objects embedded in a pool (parameter queues)
};

// ---- IAttributeList --------------------------------------------------------------------------
class HostAttributeList final : public IAttributeList, public RefCounted {
  public:
    tresult queryInterface(const TUID iid, void** obj) override;
    uint32 addRef() override { return addRefImpl(); }
    uint32 release() override { return releaseImpl(this); }

    tresult setInt(AttrID id, int64 value) override;
    tresult getInt(AttrID id, int64& value) override;
    tresult setFloat(AttrID id, double value) override;
    tresult getFloat(AttrID id, double& value) override;
    tresult setString(AttrID id, const TChar* string) override;
    tresult getString(AttrID id, TChar* string, uint32 sizeInBytes) override;
    tresult setBinary(AttrID id, const void* data, uint32 sizeInBytes) override;
    tresult getBinary(AttrID id, const void*& data, uint32& sizeInBytes) override;

  private:
    struct Value {
        enum Kind { kInt, kFloat, kString, kBinary } kind = kInt;
        int64 i = 0;
        double f = 0;
        std::u16string s;
        std::vector<uint8_t> bin;
    };
    std::map<std::string, Value> values_;
};

// ---- IMessage --------------------------------------------------------------------------------
class HostMessage final : public IMessage, public RefCounted {
  public:
    HostMessage();
    ~HostMessage();
    tresult queryInterface(const TUID iid, void** obj) override;
    uint32 addRef() override { return addRefImpl(); }
    uint32 release() override { return releaseImpl(this); }

    FIDString getMessageID() override { return id_.empty() ? nullptr : id_.c_str(); }
    void setMessageID(FIDString id) override { id_ = id ? id : ""; }
    IAttributeList* getAttributes() override { return attributes_; }

  private:
    std::string id_;
    HostAttributeList* attributes_;
};

// ---- IHostApplication (the `context` passed to initialize) --------------------------------------
class HostApplication final : public IHostApplication, public RefCounted {
  public:
    tresult queryInterface(const TUID iid, void** obj) override;
    uint32 addRef() override { return addRefImpl(); }
    uint32 release() override { return releaseImpl(this); }

    tresult getName(String128 name) override;
    // Creates IMessage / IAttributeList instances, as the SDK's helpers (allocateMessage) expect.
    tresult createInstance(TUID cid, TUID iid, void** obj) override;

    std::atomic<int> messagesCreated{0};
    std::atomic<int> unknownInterfaceQueries{0};
};

// ---- IBStream over a growable byte vector ------------------------------------------------------
class MemoryStream final : public IBStream, public ISizeableStream, public RefCounted {
  public:
    MemoryStream() = default;
    explicit MemoryStream(std::vector<uint8_t> bytes) : data_(std::move(bytes)) {}

    tresult queryInterface(const TUID iid, void** obj) override;
    uint32 addRef() override { return addRefImpl(); }
    uint32 release() override { return releaseImpl(this); }

    // Reads past the end return kResultOk with fewer bytes (like the SDK's MemoryStream), unless
    // failOnShortRead is set, in which case they return kResultFalse (what some hosts do): a robust
    // plugin must check numBytesRead AND the result.
    tresult read(void* buffer, int32 numBytes, int32* numBytesRead) override;
    tresult write(void* buffer, int32 numBytes, int32* numBytesWritten) override;
    tresult seek(int64 pos, int32 mode, int64* result) override;
    tresult tell(int64* pos) override;
    tresult getStreamSize(int64& size) override;
    tresult setStreamSize(int64 size) override;

    const std::vector<uint8_t>& bytes() const { return data_; }
    void rewind() { pos_ = 0; }
    bool failOnShortRead = false;

  private:
    std::vector<uint8_t> data_;
    int64 pos_ = 0;
};

// ---- IEventList with fixed capacity ------------------------------------------------------------
class EventList final : public IEventList, public RefCounted {
  public:
    explicit EventList(int32 capacity);
    tresult queryInterface(const TUID iid, void** obj) override;
    uint32 addRef() override { return addRefImpl(); }
    uint32 release() override { return releaseImpl(this); }

    int32 getEventCount() override { return count_; }
    tresult getEvent(int32 index, Event& e) override;
    tresult addEvent(Event& e) override; // kResultFalse when full (counted in overflows)

    void clear() { count_ = 0; }
    const Event* data() const { return events_.get(); }
    int32 capacity() const { return capacity_; }
    int64 overflows() const { return overflows_; }

  private:
    std::unique_ptr<Event[]> events_;
    int32 capacity_;
    int32 count_ = 0;
    int64 overflows_ = 0;
};

// ---- IParamValueQueue / IParameterChanges with fixed capacity
// ------------------------------------
class ParamValueQueue final : public IParamValueQueue, public RefCounted {
  public:
    static constexpr int32 kMaxPoints = 64;
    ParamValueQueue() { deletable_ = false; }
    tresult queryInterface(const TUID iid, void** obj) override;
    uint32 addRef() override { return addRefImpl(); }
    uint32 release() override { return releaseImpl(this); }

    ParamID getParameterId() override { return id_; }
    int32 getPointCount() override { return count_; }
    tresult getPoint(int32 index, int32& sampleOffset, ParamValue& value) override;
    // Keeps points sorted by sampleOffset; a point at an existing offset replaces its value.
    tresult addPoint(int32 sampleOffset, ParamValue value, int32& index) override;

    void reset(ParamID id) {
        id_ = id;
        count_ = 0;
    }

  private:
    ParamID id_ = kNoParamId;
    int32 count_ = 0;
    int32 offsets_[kMaxPoints] = {};
    ParamValue values_[kMaxPoints] = {};
};

class ParameterChanges final : public IParameterChanges, public RefCounted {
  public:
    explicit ParameterChanges(int32 maxQueues);
    tresult queryInterface(const TUID iid, void** obj) override;
    uint32 addRef() override { return addRefImpl(); }
    uint32 release() override { return releaseImpl(this); }

    int32 getParameterCount() override { return count_; }
    IParamValueQueue* getParameterData(int32 index) override;
    // Returns the existing queue for `id` or a fresh one; nullptr when all queues are in use.
    IParamValueQueue* addParameterData(const ParamID& id, int32& index) override;

    void clear() { count_ = 0; }
    int64 overflows() const { return overflows_; }

  private:
    std::unique_ptr<ParamValueQueue[]> queues_;
    int32 capacity_;
    int32 count_ = 0;
    int64 overflows_ = 0;
};

// ---- IComponentHandler: records what the controller asks of the host ----------------------------
class ComponentHandler final : public IComponentHandler, public RefCounted {
  public:
    tresult queryInterface(const TUID iid, void** obj) override;
    uint32 addRef() override { return addRefImpl(); }
    uint32 release() override { return releaseImpl(this); }

    tresult beginEdit(ParamID id) override;
    tresult performEdit(ParamID id, ParamValue valueNormalized) override;
    tresult endEdit(ParamID id) override;
    tresult restartComponent(int32 flags) override;

    std::atomic<int> beginEdits{0}, performEdits{0}, endEdits{0}, restarts{0};
    std::atomic<int32> restartFlags{0}; // OR of all flags seen
};

// Small helpers shared by the host.
inline bool iidEquals(const void* a, const Iid& b) {
    return b.equals(a);
}
std::string utf16ToUtf8(const char16* s, size_t maxLen);
void utf8ToUtf16(const char* s, char16* out, size_t maxLen);

} // namespace host
