#include "tools/secret_prompt.h"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "service/core/base/encoding.h"

namespace keyport::cli {
namespace {

// Long enough for an AES-256 component in groups of 4 with spaces, with room to spare.
constexpr std::size_t kMaxLine = 256;

// What a signal handler restores: the terminal as it was before echo went off.
struct termios g_saved;
volatile sig_atomic_t g_fd = -1;

extern "C" void restoreAndReraise(int sig) {
    if (g_fd >= 0) tcsetattr(g_fd, TCSANOW, &g_saved);  // async-signal-safe
    signal(sig, SIG_DFL);
    raise(sig);
}

// ECHO off for its lifetime; the destructor and the signal handlers put the terminal back.
class EchoOff {
  public:
    explicit EchoOff(int fd) : fd_(fd) {
        if (tcgetattr(fd, &g_saved) != 0) throw std::runtime_error("cannot read terminal settings");
        struct termios quiet = g_saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHOE | ECHOK | ECHONL);
        struct sigaction sa {};
        sa.sa_handler = restoreAndReraise;
        sigemptyset(&sa.sa_mask);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaction(sig, &sa, &old_[index(sig)]);
        g_fd = fd;
        if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
            restore();
            throw std::runtime_error("cannot turn terminal echo off");
        }
    }
    ~EchoOff() { restore(); }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

  private:
    static int index(int sig) {
        return sig == SIGINT ? 0 : sig == SIGTERM ? 1 : sig == SIGHUP ? 2 : 3;
    }
    // TCSADRAIN, not TCSAFLUSH: what the custodian types next (the check value) is kept.
    // Turning echo off flushes instead, so nothing typed ahead of the prompt is read as
    // (or echoed beside) the component.
    void restore() noexcept {
        tcsetattr(fd_, TCSADRAIN, &g_saved);
        g_fd = -1;
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
            sigaction(sig, &old_[index(sig)], nullptr);
    }
    int fd_;
    struct sigaction old_[4]{};
};

// Reads up to a newline into `buf` (kMaxLine bytes); returns the length. No stdio: nothing
// of the line is left in a FILE buffer.
std::size_t readLineInto(int fd, std::uint8_t* buf, bool& tooLong) {
    std::size_t n = 0;
    tooLong = false;
    for (;;) {
        char c = 0;
        const ssize_t r = ::read(fd, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            if (n == 0) throw std::runtime_error("end of input before a component was entered");
            return n;
        }
        if (c == '\n' || c == '\r') return n;
        if (n < kMaxLine) {
            buf[n++] = static_cast<std::uint8_t>(c);
        } else {
            tooLong = true;
        }
        c = 0;
    }
}

// Drops whitespace in place and decodes the hex; the caller's buffer is wiped by its owner.
hsm::SecretBytes decodeHex(std::span<std::uint8_t> text, const std::string& what) {
    std::size_t n = 0;
    for (std::uint8_t c : text) {
        if (std::isspace(c)) continue;
        if (!std::isxdigit(c)) throw std::runtime_error(what + " is not hex (0-9, a-f)");
        text[n++] = c;
    }
    if (n == 0) throw std::runtime_error(what + " is empty");
    if (n % 2 != 0) throw std::runtime_error(what + " has an odd number of hex digits");
    auto out = hexDecodeSecret(std::string_view(reinterpret_cast<const char*>(text.data()), n));
    if (!out) throw std::runtime_error(what + " is not hex (0-9, a-f)");
    return std::move(*out);
}

}  // namespace

hsm::SecretBytes readSecretHexLine(int fd, const std::string& prompt) {
    std::fputs(prompt.c_str(), stderr);
    std::fflush(stderr);
    hsm::SecretBytes line(kMaxLine);
    std::size_t n = 0;
    bool tooLong = false;
    {
        EchoOff quiet(fd);
        n = readLineInto(fd, line.reveal().data(), tooLong);
    }
    std::fputs("\n", stderr);  // the Enter the terminal did not echo
    if (tooLong) throw std::runtime_error("the component line is too long");
    return decodeHex(line.reveal().subspan(0, n), "the component");
}

std::string readVisibleLine(int fd, const std::string& prompt) {
    std::fputs(prompt.c_str(), stderr);
    std::fflush(stderr);
    std::uint8_t buf[kMaxLine];
    bool tooLong = false;
    const std::size_t n = readLineInto(fd, buf, tooLong);
    if (tooLong) throw std::runtime_error("the line is too long");
    return std::string(reinterpret_cast<const char*>(buf), n);
}

hsm::SecretBytes readSecretHexFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot read component file " + path);
    hsm::SecretBytes text(4 * kMaxLine);
    std::size_t n = 0;
    for (;;) {
        if (n == text.size()) {
            ::close(fd);
            throw std::runtime_error("component file " + path + " is too long for a component");
        }
        const ssize_t r = ::read(fd, text.reveal().data() + n, text.size() - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            ::close(fd);
            throw std::runtime_error("cannot read component file " + path);
        }
        if (r == 0) break;
        n += static_cast<std::size_t>(r);
    }
    ::close(fd);
    return decodeHex(text.reveal().subspan(0, n), "component file " + path);
}

}  // namespace keyport::cli
