// host_objects.cpp - implementations of the host-side VST3 objects (see host_objects.h).
#include "host_objects.h"

#include <algorithm>
#include <cstring>

namespace host {

// Answers FUnknown and one interface; shared by every single-interface object below.
template <typename Interface, typename Self>
static tresult queryOne(Self* self, const TUID iid, void** obj) {
    if (!obj) return kInvalidArgument;
    if (FUnknown::iid.equals(iid) || Interface::iid.equals(iid)) {
        self->addRef();
        *obj = static_cast<Interface*>(self);
        return kResultOk;
    }
    *obj = nullptr;
    return kNoInterface;
}

std::string utf16ToUtf8(const char16* s, size_t maxLen) {
    std::string out;
    if (!s) return out;
    for (size_t i = 0; i < maxLen && s[i]; ++i) {
        uint32_t c = s[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < maxLen && s[i + 1] >= 0xDC00 &&
            s[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
            ++i;
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

// ASCII-only conversion is enough for the host's own strings ("copilot-host").
void utf8ToUtf16(const char* s, char16* out, size_t maxLen) {
    size_t i = 0;
    for (; s && s[i] && i + 1 < maxLen; ++i)
        out[i] = static_cast<unsigned char>(s[i]);
    if (maxLen) out[i] = 0;
}

// ---- HostAttributeList -------------------------------------------------------------------------
tresult HostAttributeList::queryInterface(const TUID iid, void** obj) {
    return queryOne<IAttributeList>(this, iid, obj);
}
tresult HostAttributeList::setInt(AttrID id, int64 value) {
    if (!id) return kInvalidArgument;
    Value& v = values_[id];
    v.kind = Value::kInt;
    v.i = value;
    return kResultOk;
}
tresult HostAttributeList::getInt(AttrID id, int64& value) {
    auto it = id ? values_.find(id) : values_.end();
    if (it == values_.end() || it->second.kind != Value::kInt) return kResultFalse;
    value = it->second.i;
    return kResultOk;
}
tresult HostAttributeList::setFloat(AttrID id, double value) {
    if (!id) return kInvalidArgument;
    Value& v = values_[id];
    v.kind = Value::kFloat;
    v.f = value;
    return kResultOk;
}
tresult HostAttributeList::getFloat(AttrID id, double& value) {
    auto it = id ? values_.find(id) : values_.end();
    if (it == values_.end() || it->second.kind != Value::kFloat) return kResultFalse;
    value = it->second.f;
    return kResultOk;
}
tresult HostAttributeList::setString(AttrID id, const TChar* string) {
    if (!id || !string) return kInvalidArgument;
    Value& v = values_[id];
    v.kind = Value::kString;
    v.s = string;
    return kResultOk;
}
tresult HostAttributeList::getString(AttrID id, TChar* string, uint32 sizeInBytes) {
    auto it = id ? values_.find(id) : values_.end();
    if (it == values_.end() || it->second.kind != Value::kString) return kResultFalse;
    size_t maxChars = sizeInBytes / sizeof(TChar);
    if (!string || maxChars == 0) return kInvalidArgument;
    size_t n = std::min(maxChars - 1, it->second.s.size());
    std::memcpy(string, it->second.s.data(), n * sizeof(TChar));
    string[n] = 0;
    return kResultOk;
}
tresult HostAttributeList::setBinary(AttrID id, const void* data, uint32 sizeInBytes) {
    if (!id || (!data && sizeInBytes)) return kInvalidArgument;
    Value& v = values_[id];
    v.kind = Value::kBinary;
    const uint8_t* p = static_cast<const uint8_t*>(data);
    v.bin.assign(p, p + sizeInBytes);
    return kResultOk;
}
tresult HostAttributeList::getBinary(AttrID id, const void*& data, uint32& sizeInBytes) {
    auto it = id ? values_.find(id) : values_.end();
    if (it == values_.end() || it->second.kind != Value::kBinary) return kResultFalse;
    data = it->second.bin.data();
    sizeInBytes = static_cast<uint32>(it->second.bin.size());
    return kResultOk;
}

// ---- HostMessage -------------------------------------------------------------------------------
HostMessage::HostMessage() : attributes_(new HostAttributeList) {}
HostMessage::~HostMessage() {
    attributes_->release();
}
tresult HostMessage::queryInterface(const TUID iid, void** obj) {
    return queryOne<IMessage>(this, iid, obj);
}

// ---- HostApplication ---------------------------------------------------------------------------
tresult HostApplication::queryInterface(const TUID iid, void** obj) {
    tresult r = queryOne<IHostApplication>(this, iid, obj);
    if (r != kResultOk) unknownInterfaceQueries.fetch_add(1, std::memory_order_relaxed);
    return r;
}

tresult HostApplication::getName(String128 name) {
    if (!name) return kInvalidArgument;
    utf8ToUtf16("copilot-host", name, 128);
    return kResultOk;
}

tresult HostApplication::createInstance(TUID cid, TUID iid, void** obj) {
    if (!obj) return kInvalidArgument;
    *obj = nullptr;
    if (IMessage::iid.equals(cid) && IMessage::iid.equals(iid)) {
        *obj = static_cast<IMessage*>(new HostMessage);
        messagesCreated.fetch_add(1, std::memory_order_relaxed);
        return kResultOk;
    }
    if (IAttributeList::iid.equals(cid) && IAttributeList::iid.equals(iid)) {
        *obj = static_cast<IAttributeList*>(new HostAttributeList);
        return kResultOk;
    }
    return kNoInterface;
}

// ---- MemoryStream ------------------------------------------------------------------------------
tresult MemoryStream::queryInterface(const TUID iid, void** obj) {
    if (!obj) return kInvalidArgument;
    if (FUnknown::iid.equals(iid) || IBStream::iid.equals(iid)) {
        addRef();
        *obj = static_cast<IBStream*>(this);
        return kResultOk;
    }
    if (ISizeableStream::iid.equals(iid)) {
        addRef();
        *obj = static_cast<ISizeableStream*>(this);
        return kResultOk;
    }
    *obj = nullptr;
    return kNoInterface;
}

tresult MemoryStream::read(void* buffer, int32 numBytes, int32* numBytesRead) {
    if (numBytesRead) *numBytesRead = 0;
    if (numBytes < 0 || (!buffer && numBytes > 0)) return kInvalidArgument;
    int64 available = std::max<int64>(0, static_cast<int64>(data_.size()) - pos_);
    int32 n = static_cast<int32>(std::min<int64>(numBytes, available));
    if (n > 0) std::memcpy(buffer, data_.data() + pos_, static_cast<size_t>(n));
    pos_ += n;
    if (numBytesRead) *numBytesRead = n;
    if (n < numBytes && failOnShortRead) return kResultFalse;
    return kResultOk;
}

tresult MemoryStream::write(void* buffer, int32 numBytes, int32* numBytesWritten) {
    if (numBytesWritten) *numBytesWritten = 0;
    if (numBytes < 0 || (!buffer && numBytes > 0)) return kInvalidArgument;
    size_t end = static_cast<size_t>(pos_) + static_cast<size_t>(numBytes);
    if (end > data_.size()) data_.resize(end, 0);
    if (numBytes > 0) std::memcpy(data_.data() + pos_, buffer, static_cast<size_t>(numBytes));
    pos_ += numBytes;
    if (numBytesWritten) *numBytesWritten = numBytes;
    return kResultOk;
}

tresult MemoryStream::seek(int64 pos, int32 mode, int64* result) {
    int64 base = 0;
    switch (mode) {
    case kIBSeekSet:
        base = 0;
        break;
    case kIBSeekCur:
        base = pos_;
        break;
    case kIBSeekEnd:
        base = static_cast<int64>(data_.size());
        break;
    default:
        return kInvalidArgument;
    }
    int64 target = base + pos;
    if (target < 0) return kInvalidArgument;
    pos_ = target; // seeking past the end is allowed; a later write zero-fills the gap
    if (result) *result = pos_;
    return kResultOk;
}

tresult MemoryStream::tell(int64* pos) {
    if (!pos) return kInvalidArgument;
    *pos = pos_;
    return kResultOk;
}

tresult MemoryStream::getStreamSize(int64& size) {
    size = static_cast<int64>(data_.size());
    return kResultOk;
}

tresult MemoryStream::setStreamSize(int64 size) {
    if (size < 0) return kInvalidArgument;
    data_.resize(static_cast<size_t>(size), 0);
    return kResultOk;
}

// ---- EventList ---------------------------------------------------------------------------------
EventList::EventList(int32 capacity) : events_(new Event[capacity]()), capacity_(capacity) {}

tresult EventList::queryInterface(const TUID iid, void** obj) {
    return queryOne<IEventList>(this, iid, obj);
}

tresult EventList::getEvent(int32 index, Event& e) {
    if (index < 0 || index >= count_) return kInvalidArgument;
    e = events_[index];
    return kResultOk;
}

tresult EventList::addEvent(Event& e) {
    if (count_ >= capacity_) {
        ++overflows_;
        return kResultFalse;
    }
    events_[count_++] = e;
    return kResultOk;
}

// ---- ParamValueQueue / ParameterChanges
// -----------------------------------------------------------
tresult ParamValueQueue::queryInterface(const TUID iid, void** obj) {
    return queryOne<IParamValueQueue>(this, iid, obj);
}

tresult ParamValueQueue::getPoint(int32 index, int32& sampleOffset, ParamValue& value) {
    if (index < 0 || index >= count_) return kInvalidArgument;
    sampleOffset = offsets_[index];
    value = values_[index];
    return kResultOk;
}

tresult ParamValueQueue::addPoint(int32 sampleOffset, ParamValue value, int32& index) {
    int32 pos = 0;
    while (pos < count_ && offsets_[pos] < sampleOffset)
        ++pos;
    if (pos < count_ && offsets_[pos] == sampleOffset) {
        values_[pos] = value;
        index = pos;
        return kResultOk;
    }
    if (count_ >= kMaxPoints) return kResultFalse;
    for (int32 i = count_; i > pos; --i) {
        offsets_[i] = offsets_[i - 1];
        values_[i] = values_[i - 1];
    }
    offsets_[pos] = sampleOffset;
    values_[pos] = value;
    ++count_;
    index = pos;
    return kResultOk;
}

ParameterChanges::ParameterChanges(int32 maxQueues)
    : queues_(new ParamValueQueue[maxQueues]), capacity_(maxQueues) {}

tresult ParameterChanges::queryInterface(const TUID iid, void** obj) {
    return queryOne<IParameterChanges>(this, iid, obj);
}

IParamValueQueue* ParameterChanges::getParameterData(int32 index) {
    if (index < 0 || index >= count_) return nullptr;
    return &queues_[index];
}

IParamValueQueue* ParameterChanges::addParameterData(const ParamID& id, int32& index) {
    for (int32 i = 0; i < count_; ++i) {
        if (queues_[i].getParameterId() == id) {
            index = i;
            return &queues_[i];
        }
    }
    if (count_ >= capacity_) {
        ++overflows_;
        return nullptr;
    }
    queues_[count_].reset(id);
    index = count_;
    return &queues_[count_++];
}

// ---- ComponentHandler --------------------------------------------------------------------------
tresult ComponentHandler::queryInterface(const TUID iid, void** obj) {
    return queryOne<IComponentHandler>(this, iid, obj);
}
tresult ComponentHandler::beginEdit(ParamID) {
    beginEdits.fetch_add(1, std::memory_order_relaxed);
    return kResultOk;
}
tresult ComponentHandler::performEdit(ParamID, ParamValue) {
    performEdits.fetch_add(1, std::memory_order_relaxed);
    return kResultOk;
}
tresult ComponentHandler::endEdit(ParamID) {
    endEdits.fetch_add(1, std::memory_order_relaxed);
    return kResultOk;
}
tresult ComponentHandler::restartComponent(int32 flags) {
    restarts.fetch_add(1, std::memory_order_relaxed);
    restartFlags.fetch_or(flags, std::memory_order_relaxed);
    return kResultOk;
}

} // namespace host
