#include "service/core/ceremony/share_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "service/core/base/encoding.h"
#include "service/core/ceremony/strict_lines.h"

namespace keyport::ceremony {
namespace {

constexpr std::size_t kCheckHexChars = 16;  // 8 bytes of SHA-256
constexpr std::size_t kMaxShareFileBytes = 4096;
constexpr char kChanged[] =
    ": the share's check value does not match its contents (the file was changed or "
    "damaged); ask its custodian for an intact copy";

std::string checkOver(std::string_view covered) {
    return sha256Hex(hsm::asBytes(covered)).substr(0, kCheckHexChars);
}

// Appends to a SecretBytes-backed text without ever holding the share in a std::string.
class SecretText {
  public:
    void add(std::string_view s) {
        hsm::SecretBytes grown(buf_.size() + s.size());
        auto g = grown.reveal();
        const auto old = std::as_const(buf_).reveal();
        std::copy(old.begin(), old.end(), g.begin());
        std::copy(s.begin(), s.end(), g.begin() + static_cast<std::ptrdiff_t>(old.size()));
        buf_ = std::move(grown);
    }
    void addHex(hsm::ByteView bytes) {
        static constexpr char kDigits[] = "0123456789abcdef";
        hsm::SecretBytes hex(bytes.size() * 2);
        auto h = hex.reveal();
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            h[2 * i] = static_cast<std::uint8_t>(kDigits[bytes[i] >> 4]);
            h[2 * i + 1] = static_cast<std::uint8_t>(kDigits[bytes[i] & 0xf]);
        }
        add(hex.revealString());
    }
    hsm::SecretBytes take() { return std::move(buf_); }
    std::string_view view() const { return buf_.revealString(); }

  private:
    hsm::SecretBytes buf_;
};

}  // namespace

hsm::SecretBytes renderShareFile(ShareFile& f) {
    SecretText t;
    t.add(std::string(kShareHeader) + "\n");
    t.add("backup-id: " + f.backupId + "\n");
    t.add("region: " + f.region + "\n");
    t.add("token-label: " + f.tokenLabel + "\n");
    t.add("threshold: " + std::to_string(f.threshold) + "\n");
    t.add("shares: " + std::to_string(f.shares) + "\n");
    t.add("index: " + std::to_string(f.share.index) + "\n");
    t.add("custodian: " + f.custodian + "\n");
    t.add("share: ");
    t.addHex(std::as_const(f.share.value).reveal());
    t.add("\n");
    f.check = checkOver(t.view());
    t.add("check: " + f.check + "\n");
    return t.take();
}

ShareFile parseShareFile(const hsm::SecretBytes& text, const std::string& source) {
    if (text.size() > kMaxShareFileBytes) {
        throw CeremonyFileError(source + ": too large to be a Keyport share file");
    }
    // The check value first: a file with any byte changed then gets the one message that
    // says what happened, whichever line the byte was on.
    const auto all = text.revealString();
    const auto at = all.rfind("\ncheck: ");
    if (at != std::string_view::npos && !all.empty() && all.back() == '\n' &&
        all.substr(at + 8, all.size() - at - 9) != checkOver(all.substr(0, at + 1))) {
        throw CeremonyFileError(source + kChanged);
    }
    StrictLines in(all, source);
    ShareFile f;
    in.header(kShareHeader);
    f.backupId = std::string(in.field("backup-id"));
    if (f.backupId.size() != 32 || !isLowerHex(f.backupId)) {
        in.fail("the backup id must be 32 lowercase hex digits");
    }
    f.region = std::string(in.field("region"));
    if (!isPlainName(f.region)) in.fail("not a region name");
    f.tokenLabel = std::string(in.field("token-label"));
    if (!isPlainName(f.tokenLabel)) in.fail("not a token label");
    f.threshold = in.number("threshold", 1, kMaxCeremonyShares);
    f.shares = in.number("shares", 1, kMaxCeremonyShares);
    if (f.threshold > f.shares) in.fail("the threshold is larger than the number of shares");
    f.share.index = static_cast<std::uint8_t>(in.number("index", 1, f.shares));
    f.custodian = std::string(in.field("custodian"));
    if (!isCustodianName(f.custodian)) in.fail("not a custodian name");
    const auto hex = in.field("share");
    if (hex.size() > 2 * 64 || !isLowerHex(hex)) in.fail("the share must be lowercase hex");
    auto value = hexDecodeSecret(hex);
    if (!value) in.fail("the share must be lowercase hex");
    f.share.value = std::move(*value);
    std::string_view covered;
    f.check = std::string(in.check(covered));
    if (f.check.size() != kCheckHexChars || f.check != checkOver(covered)) {
        throw CeremonyFileError(source + kChanged);
    }
    return f;
}

ShareFile readShareFile(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw CeremonyFileError(path.string() + ": cannot open: " + std::strerror(errno));
    }
    hsm::SecretBytes buf(kMaxShareFileBytes + 1);
    std::size_t got = 0;
    while (got < buf.size()) {
        const auto n = ::read(fd, buf.reveal().data() + got, buf.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            throw CeremonyFileError(path.string() + ": cannot read: " + std::strerror(err));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    buf.truncate(got);
    return parseShareFile(buf, path.string());
}

}  // namespace keyport::ceremony
