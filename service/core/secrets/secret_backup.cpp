#include "service/core/secrets/secret_backup.h"

#include "hsm/key_policies.h"
#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/replication/transfer_blob.h"
#include "service/core/secrets/secret_envelope.h"

namespace keyport {
namespace {

// v1: magic | version | region (len8) | body (len32) | HMAC-SHA256 (on-token, region MAC key)
// over everything before it. Body fields are length-prefixed (len32) or fixed-width big endian.
constexpr char kMagic[] = {'K', 'P', 'S', 'B'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kMac = 32;

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

struct Opened {
    std::string region;  // whose transport and MAC keys sealed it
    SecretRecord secret;
    struct Version {
        SecretVersion v;
        hsm::Bytes transfer;
    };
    std::vector<Version> versions;
    std::vector<std::pair<std::string, std::string>> stages;  // stage, version id
};

Opened parse(hsm::ByteView blob, RegionTokens& regions) {
    if (blob.size() < sizeof kMagic + 2 + kMac) invalid("too short");
    Reader head{hsm::ByteView(blob.data(), blob.size() - kMac)};
    for (char m : kMagic) {
        if (head.u8() != static_cast<std::uint8_t>(m)) invalid("not a Keyport secret backup");
    }
    if (head.u8() != kVersion) invalid("unknown format version");
    Opened o;
    o.region = head.str();
    if (!regions.has(o.region)) invalid("made in a region this service does not have");
    Region& region = regions.region(o.region);
    {
        auto session = region.token->session();
        if (!session->verify(hsm::Mechanism::hmacSha256(), region.mac, head.in,
                             hsm::ByteView(blob.data() + head.in.size(), kMac))) {
            invalid("not made by this service, or altered");
        }
    }
    const hsm::Bytes body = head.bytes();
    if (!head.done()) invalid("trailing bytes");
    Reader r{body};
    SecretRecord& s = o.secret;
    s.domainId = r.str();
    s.name = r.str();
    s.description = r.str();
    s.secretType = r.str();
    s.autoRotation = r.u8() != 0;
    s.rotationPeriod = r.str();
    s.rotationConfig = r.str();
    s.rotatedMs = static_cast<std::int64_t>(r.u64());
    s.enterpriseProjectId = r.str();
    s.createdMs = static_cast<std::int64_t>(r.u64());
    s.nextVersion = static_cast<std::int64_t>(r.u64());
    for (std::uint64_t n = r.u64(); n > 0; --n) {
        Opened::Version x;
        x.v.versionId = r.str();
        x.v.seq = static_cast<std::int64_t>(r.u64());
        x.v.createdMs = static_cast<std::int64_t>(r.u64());
        x.v.expireMs = static_cast<std::int64_t>(r.u64());
        x.v.binary = r.u8() != 0;
        x.v.iv = r.bytes();
        x.v.ciphertext = r.bytes();
        x.transfer = r.bytes();
        o.versions.push_back(std::move(x));
    }
    for (std::uint64_t n = r.u64(); n > 0; --n) {
        std::string stage = r.str();
        o.stages.emplace_back(std::move(stage), r.str());
    }
    if (!r.done()) invalid("trailing bytes");
    return o;
}

}  // namespace

hsm::Bytes SecretBackup::make(const SecretRecord& secret,
                              const std::vector<SecretVersion>& versions,
                              const std::vector<SecretStageRow>& stages) {
    Region& region = regions_.region(secret.region);
    const ProjectScope owner{secret.domainId, secret.projectId, secret.region};
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
    body.u64(versions.size());
    for (const auto& v : versions) {
        // The data key leaves its CMK only as a transfer blob to this region's transport
        // key: no plaintext on the host, and only a region token can take it back.
        const envelope::Cmk cmk = cmks_.cmkOf(keys_.usable(owner, v.kmsKeyId));
        body.str(v.versionId);
        body.u64(static_cast<std::uint64_t>(v.seq));
        body.u64(static_cast<std::uint64_t>(v.createdMs));
        body.u64(static_cast<std::uint64_t>(v.expireMs));
        body.u8(v.binary ? 1 : 0);
        body.bytes(v.iv);
        body.bytes(v.ciphertext);
        body.bytes(envelope::exportDataKey(cmk, v.wrappedDataKey).encode());
    }
    body.u64(stages.size());
    for (const auto& st : stages) {
        body.str(st.stage);
        body.str(st.versionId);
    }
    Writer blob;
    blob.out.assign(std::begin(kMagic), std::end(kMagic));
    blob.u8(kVersion);
    blob.str(region.name);
    blob.bytes(body.out);
    auto session = region.token->session();
    const hsm::Bytes mac = session->sign(hsm::Mechanism::hmacSha256(), region.mac, blob.out);
    blob.out.insert(blob.out.end(), mac.begin(), mac.end());
    return blob.out;
}

SecretRecord SecretBackup::restore(const ProjectScope& scope, hsm::ByteView blob) {
    Opened o = parse(blob, regions_);
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
    Region& holder = regions_.region(o.region);

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
