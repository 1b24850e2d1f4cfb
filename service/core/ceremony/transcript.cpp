#include "service/core/ceremony/transcript.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "service/core/audit/audit_record_json.h"
#include "service/core/base/encoding.h"
#include "service/core/ceremony/ceremony_key.h"
#include "service/core/ceremony/transcript_line.h"
#include "service/core/tokens/static_objects.h"

namespace keyport {

void TranscriptEntry::addNumbered(const std::string& name, const std::vector<std::string>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        details.emplace_back(name + "-" + std::to_string(i + 1), values[i]);
    }
}

namespace fs = std::filesystem;

namespace {

std::string systemError(const std::string& what, int err) {
    return what + ": " + std::strerror(err);
}

std::string nowUtc() {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    return audit_json::utcTime(ms);
}

// The last word of a detail name ("user-pin" -> "pin"), lowercased.
std::string lastWord(const std::string& name) {
    const auto cut = name.find_last_of("-_.");
    std::string w = cut == std::string::npos ? name : name.substr(cut + 1);
    for (char& c : w) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return w;
}

// Before anything is locked or written: the entry renders as a record (every rule of
// transcript_line.h), leaves room for the largest seq and signature, and names no secret.
void checkEntry(const TranscriptEntry& e, const std::string& signerRegion) {
    for (const auto& [name, value] : e.details) {
        const std::string w = lastWord(name);
        if (w == "pin" || w == "password" || w == "passphrase" || w == "secret" ||
            w == "plaintext") {
            throw std::invalid_argument("transcript detail '" + name +
                                        "' names a secret; the transcript never holds one");
        }
    }
    TranscriptRecord r{1,
                       "2000-01-01T00:00:00.000Z",
                       e.step,
                       e.region,
                       e.custodians,
                       e.details,
                       signerRegion,
                       kTranscriptGenesisPrev,
                       kTranscriptGenesisPrev,
                       ""};
    std::string head;
    try {
        head = transcriptHead(r);
    } catch (const TranscriptFormatError& err) {
        throw std::invalid_argument(std::string("transcript entry ") + err.what());
    }
    // seq may grow to 19 digits; a DER P-256 signature is at most 72 bytes (96 in base64).
    if (head.size() + 18 + transcriptLine("", std::string(96, 'A')).size() >
        kMaxTranscriptLineBytes) {
        throw std::invalid_argument("transcript entry is longer than a record may be");
    }
}

// The transcript file, open for appending and locked against every other appender for as
// long as this lives.
class LockedTranscript {
  public:
    explicit LockedTranscript(const fs::path& file) : file_(file) {
        const fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
        std::error_code ec;
        if (fs::create_directories(dir, ec)) {
            fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
        }
        bool created = true;
        fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
        if (fd_ < 0 && errno == EEXIST) {
            created = false;
            fd_ = ::open(file.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
        }
        if (fd_ < 0) throw std::runtime_error(systemError("cannot open " + file.string(), errno));
        if (created) {
            const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dfd >= 0) {
                ::fsync(dfd);  // the new file's directory entry
                ::close(dfd);
            }
        }
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) {
                const int err = errno;
                ::close(fd_);
                throw std::runtime_error(systemError("cannot lock " + file.string(), err));
            }
        }
    }
    ~LockedTranscript() { ::close(fd_); }  // drops the flock
    LockedTranscript(const LockedTranscript&) = delete;
    LockedTranscript& operator=(const LockedTranscript&) = delete;

    // Reads where the chain stands (under the lock, so no other appender moves it) and
    // changes nothing; a torn last line (no newline: a crash mid-write) is skipped and its
    // size returned in `tornBytes`, for cutTornTail().
    void readChain(std::uint64_t& nextSeq, std::string& prev, std::uint64_t& tornBytes) {
        nextSeq = 1;
        prev = kTranscriptGenesisPrev;
        tornBytes = 0;
        std::uint64_t size = this->size();
        if (size == 0) return;
        constexpr std::uint64_t kLine = kMaxTranscriptLineBytes + 1;
        const std::uint64_t window = std::min<std::uint64_t>(size, 2 * kLine);
        const std::uint64_t base = size - window;
        std::string tail(window, '\0');
        readAt(base, tail);
        const auto lastNewline = tail.rfind('\n');
        if (lastNewline == std::string::npos && base > 0) {
            throw std::runtime_error(file_.string() + " ends in a line longer than a record");
        }
        const std::uint64_t complete =
            lastNewline == std::string::npos ? 0 : base + lastNewline + 1;
        if (complete < size) {
            tornBytes = size - complete;
            completeBytes_ = complete;
            size = complete;
        }
        if (size == 0) return;
        const auto before =
            lastNewline == 0 ? std::string::npos : tail.rfind('\n', lastNewline - 1);
        if (before == std::string::npos && base > 0) {
            throw std::runtime_error(file_.string() + " ends in a line longer than a record");
        }
        const std::size_t start = before == std::string::npos ? 0 : before + 1;
        const std::string last = tail.substr(start, lastNewline - start);
        try {
            nextSeq = parseTranscriptLine(last).record.seq + 1;
        } catch (const TranscriptFormatError& e) {
            throw std::runtime_error("the last line of " + file_.string() +
                                     " is not a transcript record (it " + e.what() +
                                     "); run `keyport ceremony verify`");
        }
        prev = transcriptLineHash(last);
    }

    // Cuts the torn tail readChain() found (it never joined the chain: no record signed
    // after it).
    void cutTornTail() {
        if (::ftruncate(fd_, static_cast<off_t>(completeBytes_)) != 0) {
            throw std::runtime_error(
                systemError("cannot cut the torn last line of " + file_.string(), errno));
        }
        ::fsync(fd_);
    }

    // One line, in one write() where the kernel takes it whole, then fsync. A write that
    // fails part-way is cut off again so the chain never holds half a record.
    void writeLine(const std::string& line) {
        const std::uint64_t before = size();
        const std::string bytes = line + "\n";
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                const int err = n < 0 ? errno : EIO;
                if (::ftruncate(fd_, static_cast<off_t>(before)) == 0) ::fsync(fd_);
                throw std::runtime_error(systemError("cannot write " + file_.string(), err));
            }
            done += static_cast<std::size_t>(n);
        }
        if (::fsync(fd_) != 0) {
            throw std::runtime_error(systemError("cannot sync " + file_.string(), errno));
        }
    }

  private:
    std::uint64_t size() const {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) throw std::runtime_error(systemError("fstat", errno));
        return static_cast<std::uint64_t>(st.st_size);
    }

    void readAt(std::uint64_t offset, std::string& buf) const {
        std::size_t done = 0;
        while (done < buf.size()) {
            const ssize_t n = ::pread(fd_, buf.data() + done, buf.size() - done,
                                      static_cast<off_t>(offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) throw std::runtime_error("cannot read " + file_.string());
            done += static_cast<std::size_t>(n);
        }
    }

    fs::path file_;
    int fd_ = -1;
    std::uint64_t completeBytes_ = 0;  // up to the torn tail readChain() found
};

}  // namespace

Transcript::Transcript(std::filesystem::path file) : file_(std::move(file)) {}

std::filesystem::path Transcript::defaultPath(const Config& config) {
    return config.stateDir / "ceremony" / "transcript.jsonl";
}

void Transcript::append(const TranscriptEntry& entry, hsm::Session& signer,
                        const std::string& signerRegion) {
    checkEntry(entry, signerRegion);
    LockedTranscript file(file_);
    // A last line that is not a record stops the append before anything changes.
    std::uint64_t nextSeq = 1, tornBytes = 0;
    std::string prev;
    file.readChain(nextSeq, prev, tornBytes);
    // Under the lock: two first appends on one token must not both make a key.
    const CeremonyKey key = *findCeremonyKey(signer, /*createIfMissing=*/true);
    if (tornBytes > 0) file.cutTornTail();

    const auto write = [&](const std::string& step, const std::string& region,
                           const std::vector<std::string>& custodians,
                           const std::vector<std::pair<std::string, std::string>>& details) {
        TranscriptRecord r{nextSeq,      nowUtc(),        step, region, custodians, details,
                           signerRegion, key.fingerprint, prev, ""};
        const std::string head = transcriptHead(r);
        const hsm::Bytes sig = signCeremonyMessage(signer, key, transcriptSignedMessage(head));
        const std::string line = transcriptLine(head, base64Encode(sig));
        file.writeLine(line);
        prev = transcriptLineHash(line);
        ++nextSeq;
    };
    if (tornBytes > 0) {
        write("transcript-torn-tail-cut", signerRegion, {},
              {{"bytes", std::to_string(tornBytes)},
               {"reason",
                "an append stopped part-way (crash); the partial line was never "
                "part of the chain"}});
    }
    if (key.created) {
        write("ceremony-key-created", signerRegion, {},
              {{"label", kCeremonyLabel},
               {"key", key.fingerprint},
               {"reason", "the token had no ceremony signing key"}});
    }
    write(entry.step, entry.region, entry.custodians, entry.details);
}

void Transcript::append(const TranscriptEntry& entry, RegionTokens& tokens) {
    if (tokens.all().empty()) throw std::runtime_error("no region token to sign the transcript");
    const std::string region =
        tokens.has(entry.region) ? entry.region : tokens.all().begin()->first;
    Region& r = tokens.region(region);
    auto session = r.token->session();
    append(entry, *session, region);
    // The pair may have been made just now: the region's handles follow it.
    if (const auto key = findCeremonyKey(*session, /*createIfMissing=*/false)) {
        r.ceremonyPublic = key->publicKey;
        r.ceremonyPrivate = key->privateKey;
    }
}

}  // namespace keyport
