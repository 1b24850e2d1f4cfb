// What the ceremony tests share: files in the server's dir, hex, the AES-CMAC check value
// computed with OpenSSL (independently of the token), keyportd's ciphertext opened with
// OpenSSL, and waiting for a running keyportd to see a change the CLI made.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "tests/e2e/kms_client.h"
#include "tests/support/client_crypto.h"

namespace keyport::test {

std::filesystem::path writeFile(const std::filesystem::path& dir, const std::string& name,
                                const std::string& text);
std::string readText(const std::filesystem::path& p);
std::string upperHex(const hsm::Bytes& b);
// First 3 bytes of AES-CMAC(key, 16 zero bytes), uppercase hex (OpenSSL EVP_MAC "CMAC").
std::string cmacCheckValue(const hsm::Bytes& key);
// keyportd's encrypt-data output opened with OpenSSL under `material` (ciphertext.h layout).
void expectCiphertextUnder(const KmsClient& c, const hsm::Bytes& material,
                           const std::string& keyId);
std::string keyState(const KmsClient& c, const std::string& keyId);
// Polls `ok` until it holds or `limit` passes; returns how long it took (limit+ if never).
std::chrono::milliseconds waitUntil(const std::function<bool()>& ok,
                                    std::chrono::milliseconds limit);

}  // namespace keyport::test

namespace keyport::test {

// A command on a pseudo-terminal: a tmux session on its own server socket, its screen read
// with capture-pane and everything it wrote (echo included) logged by pipe-pane.
class TmuxSession {
  public:
    explicit TmuxSession(const std::string& shellCommand);
    ~TmuxSession();
    TmuxSession(const TmuxSession&) = delete;
    TmuxSession& operator=(const TmuxSession&) = delete;

    std::string screen() const;
    std::string log() const;  // the raw terminal output so far
    // Waits until the screen shows `text` at least `times` times.
    bool waitFor(const std::string& text, std::chrono::milliseconds limit, std::size_t times = 1);
    void type(const std::string& text);  // literal keys, then Enter
    void typeNoEnter(const std::string& text);
    void keys(const std::string& tmuxKeys);  // e.g. "C-c"

  private:
    std::string tmux(const std::string& args) const;
    std::string socket_;
    std::filesystem::path log_;
};

std::string shellQuoted(const std::string& s);

}  // namespace keyport::test
