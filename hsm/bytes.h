// Byte buffers of the hsm layer: plain Bytes for public or wrapped data, SecretBytes for
// PINs and anything plaintext that must be wiped from host memory when it goes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hsm {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView asBytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// A zeroised, page-locked (best effort) buffer. Move-only, no stream operator; the only
// way to the contents is reveal(), so every place that touches a secret can be grepped.
class SecretBytes {
  public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size);
    explicit SecretBytes(ByteView bytes);
    static SecretBytes fromString(std::string_view s) { return SecretBytes(asBytes(s)); }
    ~SecretBytes();

    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    // Shrinks the visible size (e.g. after a C_Decrypt that wrote fewer bytes).
    void truncate(std::size_t size) noexcept;

    std::span<std::uint8_t> reveal() noexcept { return {data_, size_}; }
    ByteView reveal() const noexcept { return {data_, size_}; }
    std::string_view revealString() const noexcept {
        return {reinterpret_cast<const char*>(data_), size_};
    }

  private:
    void release() noexcept;

    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

// Constant-time comparison for MACs and tags.
bool constantTimeEqual(ByteView a, ByteView b) noexcept;

}  // namespace hsm
