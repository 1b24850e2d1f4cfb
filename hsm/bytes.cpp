#include "hsm/bytes.h"

#include <openssl/crypto.h>
#include <sys/mman.h>

#include <cstring>
#include <new>
#include <utility>

namespace hsm {

SecretBytes::SecretBytes(std::size_t size) : size_(size), capacity_(size) {
    if (size == 0) return;
    data_ = new std::uint8_t[size]();
    // Keep secrets out of swap where the limit allows; failure is not fatal.
    (void)::mlock(data_, size);
}

SecretBytes::SecretBytes(ByteView bytes) : SecretBytes(bytes.size()) {
    if (!bytes.empty()) std::memcpy(data_, bytes.data(), bytes.size());
}

SecretBytes::~SecretBytes() {
    release();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

void SecretBytes::truncate(std::size_t size) noexcept {
    if (size >= size_) return;
    OPENSSL_cleanse(data_ + size, size_ - size);
    size_ = size;
}

void SecretBytes::release() noexcept {
    if (data_ == nullptr) return;
    OPENSSL_cleanse(data_, capacity_);
    (void)::munlock(data_, capacity_);
    delete[] data_;
    data_ = nullptr;
    size_ = capacity_ = 0;
}

bool constantTimeEqual(ByteView a, ByteView b) noexcept {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hsm
