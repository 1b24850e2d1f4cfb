#include "service/core/base/state_dir.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace keyport {
namespace fs = std::filesystem;
namespace {

void makePrivateDir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw ConfigError("cannot create directory '" + dir.string() + "': " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
}

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

void prepareStateDir(const Config& config) {
    makePrivateDir(config.stateDir);
    makePrivateDir(config.pinDir());
    if (!config.manageSoftHsm) return;
    makePrivateDir(config.tokenDir());
    const std::string conf =
        "# Written by keyport; edit keyport.properties instead.\n"
        "directories.tokendir = " +
        config.tokenDir().string() +
        "\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = false\n";
    if (readFile(config.softhsmConf()) != conf) {
        const fs::path tmp = config.softhsmConf().string() + ".tmp";
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out << conf;
            if (!out) throw ConfigError("cannot write '" + tmp.string() + "'");
        }
        fs::rename(tmp, config.softhsmConf());
    }
    ::setenv("SOFTHSM2_CONF", config.softhsmConf().c_str(), 1);
}

hsm::SecretBytes readPinFile(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw ConfigError("cannot read PIN file '" + file.string() + "': " + std::strerror(errno));
    }
    hsm::SecretBytes buf(256);
    ssize_t n = ::read(fd, buf.reveal().data(), buf.size());
    ::close(fd);
    if (n < 0) throw ConfigError("cannot read PIN file '" + file.string() + "'");
    auto len = static_cast<std::size_t>(n);
    while (len > 0 && (buf.reveal()[len - 1] == '\n' || buf.reveal()[len - 1] == '\r')) --len;
    if (len == 0) throw ConfigError("PIN file '" + file.string() + "' is empty");
    buf.truncate(len);
    return buf;
}

void writePinFile(const fs::path& file, const hsm::SecretBytes& pin) {
    const fs::path tmp = file.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw ConfigError("cannot write PIN file '" + tmp.string() + "'");
    const auto data = pin.reveal();
    const bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    // link() fails if the target exists: an existing PIN file is never replaced.
    if (!ok || ::link(tmp.c_str(), file.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw ConfigError("cannot write PIN file '" + file.string() + "'");
    }
    ::unlink(tmp.c_str());
}

hsm::SecretBytes generatePin() {
    hsm::SecretBytes raw(16);
    if (RAND_bytes(raw.reveal().data(), static_cast<int>(raw.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    hsm::SecretBytes pin(32);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        pin.reveal()[2 * i] = static_cast<std::uint8_t>(kHex[raw.reveal()[i] >> 4]);
        pin.reveal()[2 * i + 1] = static_cast<std::uint8_t>(kHex[raw.reveal()[i] & 0xf]);
    }
    return pin;
}

}  // namespace keyport
