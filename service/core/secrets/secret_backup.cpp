#include "service/core/secrets/secret_backup.h"

#include "hsm/key_policies.h"
#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/replication/transfer_blob.h"
#include "service/core/secrets/secret_envelope.h"

namespace keyport {
namespace {

// The layout is in secret_backup.h (backup_format).
constexpr char kMagic[] = {'K', 'P', 'S', 'B'};
constexpr std::uint8_t kVersion = 1;

[[noreturn]] void invalid(const std::string& why) {
    throw Error(ErrorCode::InvalidParameter, "is not a backup this service can restore: " + why,
                Input::Ciphertext);
}

struct Writer {
    hsm::Bytes out;
    void u8(std::uint8_t v) { out.push_back(v); }
    void u64(std::uint64_t v) {
        for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    void bytes(hsm::ByteView b) {
        const auto n = static_cast<std::uint32_t>(b.size());
        for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
        out.insert(out.end(), b.begin(), b.end());
    }
    void str(const std::string& s) {
        bytes(hsm::ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
    }
};

// Reads what Writer wrote; any overrun is an invalid backup, never a crash.
struct Reader {
    hsm::ByteView in;
    std::size_t at = 0;
    void need(std::size_t n) const {
        if (in.size() - at < n) invalid("truncated");
    }
    std::uint8_t u8() {
        need(1);
        return in[at++];
    }
    // A flag is 0 or 1, as Writer writes it: any other byte would decode to a backup that
    // does not encode back to the same bytes.
    bool flag() {
        const std::uint8_t v = u8();
        if (v > 1) invalid("a flag is neither 0 nor 1");
        return v == 1;
    }
    std::uint64_t u64() {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | in[at++];
        return v;
    }
    hsm::Bytes bytes() {
        need(4);
        std::uint32_t n = 0;
        for (int i = 0; i < 4; ++i) n = (n << 8) | in[at++];
        need(n);
        hsm::Bytes b(in.begin() + static_cast<std::ptrdiff_t>(at),
                     in.begin() + static_cast<std::ptrdiff_t>(at + n));
        at += n;
        return b;
    }
    std::string str() {
        const hsm::Bytes b = bytes();
        return std::string(b.begin(), b.end());
    }
    bool done() const { return at == in.size(); }
};

}  // namespace

namespace backup_format {

hsm::Bytes encodeUnsigned(const std::string& region, const Contents& c) {
    const SecretRecord& secret = c.secret;
    Writer body;
    body.str(secret.domainId);
    body.str(secret.name);
    body.str(secret.description);
    body.str(secret.secretType);
    body.u8(secret.autoRotation ? 1 : 0);
    body.str(secret.rotationPeriod);
    body.str(secret.rotationConfig);
    body.u64(static_cast<std::uint64_t>(secret.rotatedMs));
    body.str(secret.enterpriseProjectId);
    body.u64(static_cast<std::uint64_t>(secret.createdMs));
    body.u64(static_cast<std::uint64_t>(secret.nextVersion));
    body.u64(c.versions.size());
    for (const auto& x : c.versions) {
        body.str(x.v.versionId);
        body.u64(static_cast<std::uint64_t>(x.v.seq));
        body.u64(static_cast<std::uint64_t>(x.v.createdMs));
        body.u64(static_cast<std::uint64_t>(x.v.expireMs));
        body.u8(x.v.binary ? 1 : 0);
        body.bytes(x.v.iv);
        body.bytes(x.v.ciphertext);
        body.bytes(x.transfer);
    }
    body.u64(c.stages.size());
    for (const auto& [stage, vid] : c.stages) {
        body.str(stage);
        body.str(vid);
    }
    Writer blob;
    blob.out.assign(std::begin(kMagic), std::end(kMagic));
    blob.u8(kVersion);
    blob.str(region);
    blob.bytes(body.out);
    return blob.out;
}

Framed frame(hsm::ByteView blob) {
    if (blob.size() < sizeof kMagic + 1 + kMacSize) invalid("too short");
    Reader head{hsm::ByteView(blob.data(), blob.size() - kMacSize)};
    for (char m : kMagic) {
        if (head.u8() != static_cast<std::uint8_t>(m)) invalid("not a Keyport secret backup");
    }
    if (head.u8() != kVersion) invalid("unknown format version");
    Framed f;
    f.region = head.str();
    f.body = head.bytes();
    if (!head.done()) invalid("trailing bytes");
    f.signedPart = head.in;
    f.mac = hsm::ByteView(blob.data() + head.in.size(), kMacSize);
    return f;
}

Contents decodeBody(hsm::ByteView body) {
    Reader r{body};
    Contents c;
    SecretRecord& s = c.secret;
    s.domainId = r.str();
    s.name = r.str();
    s.description = r.str();
    s.secretType = r.str();
    s.autoRotation = r.flag();
    s.rotationPeriod = r.str();
    s.rotationConfig = r.str();
    s.rotatedMs = static_cast<std::int64_t>(r.u64());
    s.enterpriseProjectId = r.str();
    s.createdMs = static_cast<std::int64_t>(r.u64());
    s.nextVersion = static_cast<std::int64_t>(r.u64());
    // Counts are bounded by what is left (each entry takes at least 4 bytes), so a huge count
    // is refused before anything is reserved.
    const std::uint64_t versions = r.u64();
    if (versions > body.size() / 4) invalid("version count past the end");
    for (std::uint64_t n = versions; n > 0; --n) {
        Version x;
        x.v.versionId = r.str();
        x.v.seq = static_cast<std::int64_t>(r.u64());
        x.v.createdMs = static_cast<std::int64_t>(r.u64());
        x.v.expireMs = static_cast<std::int64_t>(r.u64());
        x.v.binary = r.flag();
        x.v.iv = r.bytes();
        x.v.ciphertext = r.bytes();
        x.transfer = r.bytes();
        c.versions.push_back(std::move(x));
    }
    const std::uint64_t stages = r.u64();
    if (stages > body.size() / 4) invalid("stage count past the end");
    for (std::uint64_t n = stages; n > 0; --n) {
        std::string stage = r.str();
        c.stages.emplace_back(std::move(stage), r.str());
    }
    if (!r.done()) invalid("trailing bytes");
    return c;
}

}  // namespace backup_format

hsm::Bytes SecretBackup::make(const SecretRecord& secret,
                              const std::vector<SecretVersion>& versions,
                              const std::vector<SecretStageRow>& stages) {
    Region& region = regions_.region(secret.region);
    const ProjectScope owner{secret.domainId, secret.projectId, secret.region};
    backup_format::Contents c{secret, {}, {}};
    for (const auto& v : versions) {
        // The data key leaves its CMK only as a transfer blob to this region's transport
        // key: no plaintext on the host, and only a region token can take it back.
        const envelope::Cmk cmk = cmks_.cmkOf(keys_.usable(owner, v.kmsKeyId), v.cmkVersion);
        c.versions.push_back(
            backup_format::Version{v, envelope::exportDataKey(cmk, v.wrappedDataKey).encode()});
    }
    for (const auto& st : stages) c.stages.emplace_back(st.stage, st.versionId);
    hsm::Bytes blob = backup_format::encodeUnsigned(region.name, c);
    auto session = region.token->session();
    const hsm::Bytes mac = session->sign(hsm::Mechanism::hmacSha256(), region.mac, blob);
    blob.insert(blob.end(), mac.begin(), mac.end());
    return blob;
}

SecretRecord SecretBackup::restore(const ProjectScope& scope, hsm::ByteView blob) {
    const backup_format::Framed framed = backup_format::frame(blob);
    if (!regions_.has(framed.region)) invalid("made in a region this service does not have");
    Region& holder = regions_.region(framed.region);
    {
        auto session = holder.token->session();
        if (!session->verify(hsm::Mechanism::hmacSha256(), holder.mac, framed.signedPart,
                             framed.mac)) {
            invalid("not made by this service, or altered");
        }
    }
    backup_format::Contents o = backup_format::decodeBody(framed.body);
    // Another domain's backup reads as one this caller cannot restore: no detail about it.
    if (o.secret.domainId != scope.domainId) invalid("made for another account");
    const bool taken = db_.read([&](Poco::Data::Session& s) {
        return secret_store::find(s, scope.projectId, o.secret.name).has_value();
    });
    if (taken) {
        throw Error(ErrorCode::SecretExists,
                    "a secret named " + o.secret.name + " exists; delete it first to restore",
                    Input::NewSecretName);
    }
    // A restore lands under the project's csms/default: the backup names no CMK, as the
    // source's may not exist where it is restored.
    const KeyRecord cmk = cmks_.cmkFor(scope, std::nullopt);
    const envelope::Cmk target = cmks_.cmkOf(cmk);

    SecretRecord r = o.secret;
    r.id = newUuid();
    r.projectId = scope.projectId;
    r.region = scope.region;
    r.kmsKeyId = cmk.id;
    r.state = SecretState::Enabled;
    r.scheduledDeleteMs.reset();
    r.primaryId.reset();
    r.updatedMs = epochMillis();
    std::vector<SecretVersion> versions;
    for (auto& x : o.versions) {
        const auto transfer = TransferBlob::decode(x.transfer);
        if (!transfer) invalid("a version's key is malformed");
        SecretVersion v = std::move(x.v);
        v.secretId = r.id;
        v.kmsKeyId = cmk.id;
        v.wrappedDataKey = envelope::adoptDataKey(holder, *transfer, target);
        v.cmkVersion = target.version;  // rewrapped under the target CMK's current version
        versions.push_back(std::move(v));
    }
    db_.write([&](Poco::Data::Session& s) {
        if (secret_store::find(s, scope.projectId, r.name)) {
            throw Error(ErrorCode::SecretExists,
                        "a secret named " + r.name + " exists; delete it first to restore",
                        Input::NewSecretName);
        }
        secret_store::insert(s, r);
        for (const auto& v : versions) secret_store::insertVersion(s, v);
        for (const auto& [stage, vid] : o.stages)
            secret_store::putStage(s, r.id, stage, vid, r.updatedMs);
    });
    return r;
}

}  // namespace keyport
