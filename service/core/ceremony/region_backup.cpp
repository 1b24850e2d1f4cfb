#include "service/core/ceremony/region_backup.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "hsm/error.h"
#include "hsm/key_policies.h"
#include "hsm/public_key.h"
#include "hsm/scoped_objects.h"
#include "service/core/base/encoding.h"
#include "service/core/base/state_dir.h"
#include "service/core/ceremony/backup_bundle.h"
#include "service/core/ceremony/shamir.h"
#include "service/core/ceremony/share_file.h"
#include "service/core/ceremony/strict_lines.h"
#include "service/core/ceremony/transcript.h"
#include "service/core/tokens/host_secret.h"
#include "service/core/tokens/provisioning.h"
#include "service/core/tokens/static_objects.h"

namespace keyport::ceremony {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBackupKeyBytes = 32;  // AES-256
constexpr char kKekGenerationPrefix[] = "keyport-kek-";

// The region KEK and its generations (`keyport-kek-g<N>` after a rollover).
bool isKekLabel(const std::string& label) {
    return label == kKekLabel || label.rfind(kKekGenerationPrefix, 0) == 0;
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// ---- Files: written to a temporary name, fsynced, renamed, the directory fsynced ----

void fsyncPath(const fs::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(p.string() + ": cannot open: " + std::strerror(errno));
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw std::runtime_error(p.string() + ": fsync failed: " + std::strerror(errno));
}

void writeAtomically(const fs::path& dir, const std::string& name, hsm::ByteView data) {
    const fs::path tmp = dir / ("." + name + ".tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error(tmp.string() + ": cannot create: " + std::strerror(errno));
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw std::runtime_error(tmp.string() + ": write failed: " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw std::runtime_error(tmp.string() + ": fsync failed: " + std::strerror(errno));
    }
    fs::rename(tmp, dir / name);
}

std::string readSmallFile(const fs::path& p, std::size_t limit) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw CeremonyRefused(p.string() + ": cannot open");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() > limit) throw CeremonyRefused(p.string() + ": too large");
    return text;
}

std::string shareFileName(unsigned index, unsigned shares) {
    return "share-" + std::to_string(index) + "-of-" + std::to_string(shares) + ".txt";
}

// ---- Token side ----

struct FoundObject {
    hsm::ObjectHandle handle = CK_INVALID_HANDLE;
    std::string label;
    CK_OBJECT_CLASS cls = 0;
    CK_KEY_TYPE keyType = 0;
    hsm::Bytes id;
    bool extractable = false;
};

bool boolAttribute(hsm::Session& s, hsm::ObjectHandle h, CK_ATTRIBUTE_TYPE type) {
    const auto v = s.attribute(h, type);
    return v && v->size() == sizeof(CK_BBOOL) && (*v)[0] == CK_TRUE;
}

// Every static object the backup carries, found by class and label (handles of private
// objects change at each login, so this runs after the user logged in). KEKs are every AES
// token key labelled keyport-kek or keyport-kek-*, not only the one StaticObjects knows.
std::vector<FoundObject> findStaticObjects(hsm::Session& s) {
    struct Wanted {
        CK_OBJECT_CLASS cls;
        CK_KEY_TYPE type;
    };
    static constexpr Wanted kWanted[] = {
        {CKO_SECRET_KEY, CKK_AES},  {CKO_SECRET_KEY, CKK_GENERIC_SECRET},
        {CKO_PRIVATE_KEY, CKK_RSA}, {CKO_PUBLIC_KEY, CKK_RSA},
        {CKO_PRIVATE_KEY, CKK_EC},  {CKO_PUBLIC_KEY, CKK_EC}};
    std::vector<FoundObject> out;
    for (const auto& w : kWanted) {
        hsm::AttributeTemplate t;
        t.set(CKA_CLASS, w.cls).set(CKA_KEY_TYPE, w.type).set(CKA_TOKEN, true);
        for (auto h : s.findObjects(t, 4096)) {
            const auto raw = s.attribute(h, CKA_LABEL);
            if (!raw) continue;
            std::string label(raw->begin(), raw->end());
            const bool wanted = w.type == CKK_AES              ? isKekLabel(label)
                                : w.type == CKK_GENERIC_SECRET ? label == kMacLabel
                                : w.type == CKK_RSA            ? label == kTransportLabel
                                                               : label == kCeremonyLabel;
            if (!wanted) continue;
            FoundObject o{h, std::move(label), w.cls, w.type, {}, false};
            if (auto id = s.attribute(h, CKA_ID)) o.id = std::move(*id);
            o.extractable = w.cls == CKO_PUBLIC_KEY || boolAttribute(s, h, CKA_EXTRACTABLE);
            out.push_back(std::move(o));
        }
    }
    return out;
}

// The check value of an AES key on the token (tokens/host_secret.h: the first 3 bytes of
// AES-CMAC over one zero block), so B's value never leaves the token; the manifest spells it
// in lowercase hex.
std::string checkValueOnToken(hsm::Session& s, hsm::ObjectHandle key) {
    std::string kcv = aesCheckValueOf(s, key);
    for (char& c : kcv) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return kcv;
}

// B as a private session object for one check, destroyed again.
std::string checkRebuiltKey(hsm::Session& s, const hsm::SecretBytes& b) {
    hsm::ScopedObjects scope(s);
    const auto key = scope.keep(s.createObject(hsm::policy::restoringBackupKey(b.reveal())));
    return checkValueOnToken(s, key);
}

// The CKA_EC_POINT (DER OCTET STRING of the uncompressed point) of a P-256 SPKI.
hsm::Bytes ecPointFromSpki(hsm::ByteView spki) {
    const unsigned char* p = spki.data();
    EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
    if (!key) throw CeremonyRefused("the backup's ceremony public key is not a valid SPKI");
    char group[64] = {};
    std::size_t glen = 0;
    std::size_t len = 0;
    hsm::Bytes point;
    const bool ok = EVP_PKEY_is_a(key, "EC") &&
                    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                                   sizeof group, &glen) == 1 &&
                    std::string(group) == "prime256v1" &&
                    EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                    nullptr, 0, &len) == 1 &&
                    len == 65;
    if (ok) {
        point.resize(len);
        EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(),
                                        point.size(), &len);
    }
    EVP_PKEY_free(key);
    if (!ok) throw CeremonyRefused("the backup's ceremony public key is not an EC P-256 key");
    hsm::Bytes der{0x04, static_cast<std::uint8_t>(point.size())};
    der.insert(der.end(), point.begin(), point.end());
    return der;
}

// ---- Backup ----

std::vector<std::string> custodiansFor(const BackupRequest& req) {
    if (req.threshold < 2 || req.threshold > req.shares || req.shares > kMaxCeremonyShares) {
        // M = 1 is refused outright: every share would be the whole backup key, which is
        // N plaintext copies of it with extra steps, not a quorum.
        throw CeremonyRefused(
            "the threshold and share count must satisfy 2 <= threshold <= "
            "shares <= 16 (got threshold " +
            std::to_string(req.threshold) + ", shares " + std::to_string(req.shares) + ")");
    }
    std::vector<std::string> names = req.custodians;
    if (names.empty()) {
        for (unsigned i = 1; i <= req.shares; ++i)
            names.push_back("custodian-" + std::to_string(i));
    }
    if (names.size() != req.shares) {
        throw CeremonyRefused("give one --custodian per share (" + std::to_string(req.shares) +
                              ") or none; got " + std::to_string(names.size()));
    }
    std::set<std::string> seen;
    for (const auto& n : names) {
        if (!isCustodianName(n)) {
            throw CeremonyRefused("custodian name '" + n +
                                  "' must be 1 to 64 printable ASCII characters");
        }
        if (!seen.insert(n).second) throw CeremonyRefused("custodian '" + n + "' named twice");
    }
    return names;
}

void requireEmptyOut(const fs::path& out) {
    std::error_code ec;
    if (fs::exists(out, ec) && (!fs::is_directory(out) || !fs::is_empty(out))) {
        throw CeremonyRefused("--out " + out.string() +
                              " exists and is not an empty directory; refusing to write a "
                              "backup there");
    }
}

void createOutDir(const fs::path& out) {
    requireEmptyOut(out);
    fs::create_directories(out);
    fs::permissions(out, fs::perms::owner_all, fs::perm_options::replace);
}

// The region's KEKs must all be backup-capable: a backup without one of them would lose
// every blob sealed under it.
void requireBackupCapableKeks(const std::vector<FoundObject>& found, const RegionConfig& region) {
    bool haveKek = false;
    for (const auto& o : found) {
        if (o.cls != CKO_SECRET_KEY || !isKekLabel(o.label)) continue;
        haveKek = true;
        if (!o.extractable) {
            throw CeremonyRefused(
                "the region KEK of this token cannot be backed up (provisioned "
                "before backup-capable keys); run `keyport ceremony rollover "
                "--region " +
                region.name + "` first");
        }
    }
    if (!haveKek) {
        throw CeremonyRefused("token '" + region.tokenLabel +
                              "' has no region KEK; run `keyport token init` first");
    }
}

}  // namespace

namespace {

// Wraps every backup-capable object of `found` under B (public halves as SPKI) into `m`;
// those that are not backup-capable are listed in m.notBackedUp, and the public half of a
// private key that stays behind is left out too (a restore replaces the pair whole).
void wrapUnderBackupKey(hsm::Session& s, hsm::ObjectHandle backupKey,
                        const std::vector<FoundObject>& found, BackupManifest& m,
                        BackupResult& result) {
    std::set<std::string> privateNotCapable;
    for (const auto& o : found) {
        if (o.cls == CKO_PRIVATE_KEY && !o.extractable) privateNotCapable.insert(o.label);
    }
    for (const auto& o : found) {
        if (!o.extractable || (o.cls == CKO_PUBLIC_KEY && privateNotCapable.count(o.label))) {
            if (o.cls != CKO_PUBLIC_KEY) m.notBackedUp.push_back(o.label);
            continue;
        }
        BackupObject bo{o.label, o.cls, o.keyType, o.id, BackupObject::Form::Wrapped, {}};
        if (o.cls == CKO_PUBLIC_KEY) {
            bo.form = BackupObject::Form::Spki;
            bo.data = hsm::publicKeySpki(s, o.handle);
        } else {
            bo.data = s.wrapKey(hsm::Mechanism::aesKeyWrapPad(), backupKey, o.handle);
        }
        result.objects.push_back(o.label + " (" + className(o.cls) + ")");
        m.objects.push_back(std::move(bo));
    }
}

// Writes the manifest and one file per share into the new `out` (each 0600, temp name,
// fsync, rename; then the directory fsynced); returns the transcript record of it all.
TranscriptEntry writeBackup(const fs::path& out, const BackupManifest& m,
                            std::vector<shamir::Share> shares, BackupResult& result) {
    const std::string manifestText = renderManifest(m);
    createOutDir(out);
    writeAtomically(out, kManifestFile, hsm::asBytes(manifestText));
    TranscriptEntry entry{"backup", m.region, m.custodians, {}};
    entry.details.emplace_back("backup-id", m.backupId);
    entry.details.emplace_back("threshold", std::to_string(m.threshold));
    entry.details.emplace_back("shares", std::to_string(m.shares));
    entry.details.emplace_back("backup-key-check", m.backupKeyCheck);
    std::vector<std::string> objects;
    for (const auto& o : m.objects) objects.push_back(o.label + " " + className(o.cls));
    entry.addNumbered("object", objects);
    entry.addNumbered("not-backed-up", m.notBackedUp);
    entry.details.emplace_back("manifest-sha256", sha256Hex(hsm::asBytes(manifestText)));
    for (auto& share : shares) {
        ShareFile f{m.backupId,       m.region, m.tokenLabel,
                    m.threshold,      m.shares, m.custodians[share.index - 1u],
                    std::move(share), {}};
        const auto text = renderShareFile(f);
        const std::string name = shareFileName(f.share.index, m.shares);
        writeAtomically(out, name, text.reveal());
        result.shareFileBytes = text.size();
        result.shares.push_back({f.share.index, f.custodian, out / name, f.check});
        // A hash of the share file is safe to record; its content never is.
        entry.details.emplace_back("share-" + std::to_string(f.share.index) + "-sha256",
                                   sha256Hex(text.reveal()));
    }
    fsyncPath(out, O_RDONLY | O_DIRECTORY);
    return entry;
}

}  // namespace

BackupResult backupRegion(const Config& config, hsm::Module& module, const BackupRequest& req) {
    const RegionConfig& region = config.region(req.region);
    const auto custodians = custodiansFor(req);
    const CK_SLOT_ID slot = module.slotForLabel(region.tokenLabel);
    const auto soPin = readPinFile(config.soPinFile(region));
    const auto userPin = readPinFile(config.userPinFile(region));
    requireEmptyOut(req.out);

    BackupManifest m;
    m.region = region.name;
    m.tokenLabel = region.tokenLabel;
    m.created = utcNow();
    m.threshold = req.threshold;
    m.shares = req.shares;
    m.custodians = custodians;

    hsm::Session s(module.functions(), slot, true, &region.tokenLabel);
    // B is created by the SO: only the SO can set CKA_TRUSTED, and only on a public object;
    // as a session object it never reaches SoftHSM's disk, and it outlives the SO's logout
    // (the session, not the login, owns it). Closing `s` destroys it on any failure.
    s.login(CKU_SO, soPin);
    hsm::SecretBytes b = s.randomSecret(kBackupKeyBytes);
    m.backupId = hexEncode(s.random(16));
    const auto backupKey = s.createObject(hsm::policy::trustedBackupKey(b.reveal()));
    s.logout();
    s.login(CKU_USER, userPin);
    m.backupKeyCheck = checkValueOnToken(s, backupKey);
    // A provisioned token from before the ceremony signing pair gets it now (its first
    // ceremony step), so that the backup carries it and a restored token still holds the
    // key that signed the transcript's earlier records.
    if (StaticObjects::find(s).complete()) completeStaticObjects(s, config);

    const auto found = findStaticObjects(s);
    try {
        requireBackupCapableKeks(found, region);
    } catch (const CeremonyRefused& e) {
        TranscriptEntry refused{"backup-refused", region.name, custodians, {{"reason", e.what()}}};
        Transcript(Transcript::defaultPath(config)).append(refused, s, region.name);
        throw;
    }
    BackupResult result;
    wrapUnderBackupKey(s, backupKey, found, m, result);
    s.destroyObject(backupKey);

    auto shares = shamir::split(b, req.shares, req.threshold,
                                [&](std::size_t n) { return s.randomSecret(n); });
    b = hsm::SecretBytes();  // wiped: from here on B exists only as its shares

    const TranscriptEntry entry = writeBackup(req.out, m, std::move(shares), result);

    Transcript(Transcript::defaultPath(config)).append(entry, s, region.name);
    s.logout();

    result.backupId = m.backupId;
    result.backupKeyCheck = m.backupKeyCheck;
    result.manifest = req.out / kManifestFile;
    result.notBackedUp = m.notBackedUp;
    return result;
}

// ---- Restore ----

namespace {

// What a restore has verified on the host before it touches any token.
struct CheckedBackup {
    BackupManifest manifest;
    hsm::SecretBytes backupKey;
    std::vector<std::string> custodians;  // of the shares given
    std::vector<std::string> shareHashes;
};

void requireKnownObjects(const BackupManifest& m) {
    bool kek = false;
    for (const auto& o : m.objects) {
        const bool known =
            (o.cls == CKO_SECRET_KEY && o.keyType == CKK_AES && isKekLabel(o.label)) ||
            (o.cls == CKO_SECRET_KEY && o.keyType == CKK_GENERIC_SECRET && o.label == kMacLabel) ||
            (o.keyType == CKK_RSA && o.cls != CKO_SECRET_KEY && o.label == kTransportLabel) ||
            (o.keyType == CKK_EC && o.cls != CKO_SECRET_KEY && o.label == kCeremonyLabel);
        if (!known) {
            throw CeremonyRefused("the backup holds an object Keyport does not restore: " +
                                  o.label + " (" + className(o.cls) + ")");
        }
        kek = kek || (o.cls == CKO_SECRET_KEY && isKekLabel(o.label));
    }
    if (!kek) throw CeremonyRefused("the backup holds no region KEK");
}

CheckedBackup checkOnHost(const RegionConfig& region, const RestoreRequest& req) {
    CheckedBackup c;
    const fs::path manifestPath = req.backupDir / kManifestFile;
    if (!fs::exists(manifestPath)) {
        throw CeremonyRefused(req.backupDir.string() + " is not a Keyport backup (no " +
                              kManifestFile + ")");
    }
    c.manifest = parseManifest(readSmallFile(manifestPath, 1024 * 1024), manifestPath.string());
    const auto& m = c.manifest;
    if (m.region != region.name) {
        throw CeremonyRefused("the backup in " + req.backupDir.string() + " is of region '" +
                              m.region + "', not '" + region.name + "'");
    }
    requireKnownObjects(m);
    std::vector<shamir::Share> shares;
    std::map<unsigned, std::string> byIndex;
    for (const auto& path : req.shares) {
        ShareFile f = readShareFile(path);
        if (f.backupId != m.backupId) {
            throw CeremonyRefused(path.string() + " is a share of another backup (" + f.backupId +
                                  "), not of the one in " + req.backupDir.string() + " (" +
                                  m.backupId + ")");
        }
        if (f.region != region.name) {
            throw CeremonyRefused(path.string() + " is a share for region '" + f.region +
                                  "', not '" + region.name + "'");
        }
        if (f.threshold != m.threshold || f.shares != m.shares ||
            f.custodian != m.custodians[f.share.index - 1u]) {
            throw CeremonyRefused(path.string() +
                                  " does not match the backup's manifest (threshold, share "
                                  "count or custodian differ)");
        }
        const auto [it, inserted] = byIndex.emplace(f.share.index, path.string());
        if (!inserted) {
            throw CeremonyRefused(path.string() + " and " + it->second + " are the same share (" +
                                  std::to_string(f.share.index) + " of " +
                                  std::to_string(m.shares) + ")");
        }
        c.custodians.push_back(f.custodian);
        // Hash of the file as read (re-rendered: the parse accepted exactly this text).
        c.shareHashes.push_back(sha256Hex(renderShareFile(f).reveal()));
        shares.push_back(std::move(f.share));
    }
    if (shares.size() < m.threshold) {
        throw CeremonyRefused(std::to_string(shares.size()) +
                              " share(s) given; this backup needs " + std::to_string(m.threshold) +
                              " of its " + std::to_string(m.shares));
    }
    c.backupKey = shamir::combine(shares);
    return c;
}

// Another region's token that can check B and sign the transcript before the target
// token exists: a session logged in as that region's user.
struct Verifier {
    std::string region;
    hsm::Session session;
};

std::optional<Verifier> openVerifier(const Config& config, hsm::Module& module,
                                     const std::string& except) {
    for (const auto& r : config.regions) {
        if (r.name == except) continue;
        const auto slot = regionTokenSlot(module, r);
        if (!slot || !fs::exists(config.userPinFile(r))) continue;
        try {
            Verifier v{r.name, hsm::Session(module.functions(), *slot, true, &r.tokenLabel)};
            v.session.login(CKU_USER, readPinFile(config.userPinFile(r)));
            return v;
        } catch (const std::exception&) {
            continue;  // a token we cannot log in to cannot help; try the next region
        }
    }
    return std::nullopt;
}

void recordRefusal(const Config& config, std::optional<Verifier>& verifier,
                   const std::string& region, const std::string& why) {
    if (!verifier) return;
    TranscriptEntry e{"restore-refused", region, {}, {{"reason", why}}};
    try {
        Transcript(Transcript::defaultPath(config)).append(e, verifier->session, verifier->region);
    } catch (const std::exception&) {
        // The refusal stands whether or not it could be recorded.
    }
}

hsm::AttributeTemplate unwrapTemplate(const BackupObject& o) {
    hsm::AttributeTemplate t =
        o.cls == CKO_PRIVATE_KEY
            ? (o.keyType == CKK_RSA ? hsm::policy::restoredTransportPrivate(o.label)
                                    : hsm::policy::restoredCeremonyPrivate(o.label))
        : o.keyType == CKK_AES ? hsm::policy::restoredRegionKek(o.label)
                               : hsm::policy::restoredMacKey(o.label);
    if (!o.id.empty()) t.set(CKA_ID, hsm::ByteView(o.id));
    return t;
}

void recreate(hsm::Session& t, hsm::ObjectHandle backupKey, const BackupObject& o) {
    if (o.form == BackupObject::Form::Wrapped) {
        t.unwrapKey(hsm::Mechanism::aesKeyWrapPad(), backupKey, o.data, unwrapTemplate(o));
        return;
    }
    if (o.keyType == CKK_RSA) {
        auto tmpl = hsm::policy::restoredTransportPublic(o.label);
        if (!o.id.empty()) tmpl.set(CKA_ID, hsm::ByteView(o.id));
        hsm::createRsaPublic(t, o.data, std::move(tmpl));
        return;
    }
    auto tmpl = hsm::policy::restoredCeremonyPublic(o.label);
    const auto point = ecPointFromSpki(o.data);
    tmpl.set(CKA_EC_POINT, hsm::ByteView(point));
    if (!o.id.empty()) tmpl.set(CKA_ID, hsm::ByteView(o.id));
    t.createObject(tmpl);
}

}  // namespace

RestoreResult restoreRegion(const Config& config, hsm::Module& module, const RestoreRequest& req) {
    const RegionConfig& region = config.region(req.region);
    std::optional<Verifier> verifier = openVerifier(config, module, region.name);
    CheckedBackup backup;
    const bool exists = regionTokenSlot(module, region).has_value();
    try {
        backup = checkOnHost(region, req);
        if (exists && !req.reinitialize) {
            throw CeremonyRefused("token '" + region.tokenLabel + "' of region '" + region.name +
                                  "' exists; a restore never overwrites a token without "
                                  "--reinitialize");
        }
        if (verifier) {
            const auto cv = checkRebuiltKey(verifier->session, backup.backupKey);
            if (cv != backup.manifest.backupKeyCheck) {
                throw CeremonyRefused("the shares rebuild a backup key with check value " + cv +
                                      ", but the backup's is " + backup.manifest.backupKeyCheck +
                                      " (a forged or mismatched share); nothing was written");
            }
        }
    } catch (const std::exception& e) {
        recordRefusal(config, verifier, region.name, e.what());
        throw CeremonyRefused(e.what());
    }
    const auto& m = backup.manifest;
    RestoreResult result;
    result.backupId = m.backupId;
    result.tokenLabel = region.tokenLabel;
    result.reinitialized = exists;
    result.checkedOn = verifier ? verifier->region : region.name;
    verifier.reset();  // logs out of the other token

    const CK_SLOT_ID slot = initialiseRegionToken(config, module, region, req.reinitialize);
    hsm::Session t(module.functions(), slot, true, &region.tokenLabel);
    t.login(CKU_USER, readPinFile(config.userPinFile(region)));
    {
        hsm::ScopedObjects scope(t);
        const auto backupKey =
            scope.keep(t.createObject(hsm::policy::restoringBackupKey(backup.backupKey.reveal())));
        backup.backupKey = hsm::SecretBytes();  // wiped: the token holds B now
        // Only when no other region's token could check B first: the target is initialised
        // already, so a mismatch leaves it empty (no static object, no marker). That refusal
        // is not in the transcript: the empty token has no ceremony key to sign it with.
        if (result.checkedOn == region.name &&
            checkValueOnToken(t, backupKey) != m.backupKeyCheck) {
            throw CeremonyRefused(
                "the shares rebuild a backup key whose check value is not the "
                "backup's (a forged or mismatched share); token '" +
                region.tokenLabel +
                "' was initialised but holds no key: re-run with the right "
                "shares and --reinitialize");
        }
        for (const auto& o : m.objects) {
            try {
                recreate(t, backupKey, o);
            } catch (const std::exception& e) {
                throw CeremonyRefused("restoring " + o.label + " (" + className(o.cls) +
                                      ") failed: " + e.what() + "; token '" + region.tokenLabel +
                                      "' is left incomplete (no provisioned marker): re-run with "
                                      "--reinitialize");
            }
            result.restored.push_back(o.label + " (" + className(o.cls) + ")");
        }
    }
    // Objects the backup lacked (not backup-capable) are generated fresh; the provisioned
    // marker comes last, so an interrupted restore never looks complete.
    result.generated = completeStaticObjects(t, config);

    TranscriptEntry entry{"restore", region.name, backup.custodians, {}};
    entry.details.emplace_back("backup-id", m.backupId);
    entry.details.emplace_back("backup-key-check", m.backupKeyCheck);
    entry.details.emplace_back("checked-on", result.checkedOn);
    entry.details.emplace_back("token", region.tokenLabel);
    entry.addNumbered("restored", result.restored);
    entry.addNumbered("generated", result.generated);
    entry.addNumbered("share-sha256", backup.shareHashes);
    Transcript(Transcript::defaultPath(config)).append(entry, t, region.name);
    t.logout();
    return result;
}

}  // namespace keyport::ceremony
