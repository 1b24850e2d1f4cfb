#include "service/core/ceremony/backup_bundle.h"

#include <optional>

#include "service/core/base/encoding.h"
#include "service/core/ceremony/share_file.h"
#include "service/core/ceremony/strict_lines.h"

namespace keyport::ceremony {
namespace {

constexpr std::size_t kMaxManifestBytes = 1024 * 1024;

struct ClassName {
    CK_OBJECT_CLASS cls;
    const char* name;
};
constexpr ClassName kClasses[] = {{CKO_SECRET_KEY, "secret-key"},
                                  {CKO_PRIVATE_KEY, "private-key"},
                                  {CKO_PUBLIC_KEY, "public-key"}};
struct TypeName {
    CK_KEY_TYPE type;
    const char* name;
};
constexpr TypeName kTypes[] = {
    {CKK_AES, "aes"}, {CKK_GENERIC_SECRET, "generic-secret"}, {CKK_RSA, "rsa"}, {CKK_EC, "ec"}};

std::optional<CK_OBJECT_CLASS> classFromName(std::string_view s) {
    for (const auto& c : kClasses) {
        if (s == c.name) return c.cls;
    }
    return std::nullopt;
}

std::optional<CK_KEY_TYPE> typeFromName(std::string_view s) {
    for (const auto& t : kTypes) {
        if (s == t.name) return t.type;
    }
    return std::nullopt;
}

// "object: LABEL CLASS TYPE ID|- wrapped|spki HEX"
BackupObject parseObject(StrictLines& in, std::string_view value) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto sp = value.find(' ', start);
        parts.push_back(value.substr(start, sp == std::string_view::npos ? sp : sp - start));
        if (sp == std::string_view::npos) break;
        start = sp + 1;
    }
    if (parts.size() != 6) in.fail("an object line has six fields: label class type id form data");
    BackupObject o;
    o.label = std::string(parts[0]);
    if (!isPlainName(o.label)) in.fail("not an object label");
    const auto cls = classFromName(parts[1]);
    if (!cls) in.fail("unknown object class '" + std::string(parts[1]) + "'");
    o.cls = *cls;
    const auto type = typeFromName(parts[2]);
    if (!type) in.fail("unknown key type '" + std::string(parts[2]) + "'");
    o.keyType = *type;
    if (parts[3] != "-") {
        auto id =
            isLowerHex(parts[3]) && parts[3].size() <= 128 ? hexDecode(parts[3]) : std::nullopt;
        if (!id) in.fail("the object id must be '-' or lowercase hex");
        o.id = std::move(*id);
    }
    if (parts[4] == "wrapped") {
        o.form = BackupObject::Form::Wrapped;
    } else if (parts[4] == "spki") {
        o.form = BackupObject::Form::Spki;
    } else {
        in.fail("the object form must be 'wrapped' or 'spki'");
    }
    if ((o.form == BackupObject::Form::Spki) != (o.cls == CKO_PUBLIC_KEY)) {
        in.fail("public keys are stored as spki, secret and private keys wrapped");
    }
    if (o.cls == CKO_SECRET_KEY ? (o.keyType != CKK_AES && o.keyType != CKK_GENERIC_SECRET)
                                : (o.keyType != CKK_RSA && o.keyType != CKK_EC)) {
        in.fail("key type '" + std::string(parts[2]) + "' does not fit class '" +
                std::string(parts[1]) + "'");
    }
    auto data = isLowerHex(parts[5]) ? hexDecode(parts[5]) : std::nullopt;
    if (!data) in.fail("the object data must be lowercase hex");
    o.data = std::move(*data);
    return o;
}

bool isUtcTime(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SSZ
    if (s.size() != 20) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const char want = i == 4 || i == 7     ? '-'
                          : i == 10            ? 'T'
                          : i == 13 || i == 16 ? ':'
                          : i == 19            ? 'Z'
                                               : '0';
        if (want == '0' ? !(c >= '0' && c <= '9') : c != want) return false;
    }
    return true;
}

}  // namespace

const char* className(CK_OBJECT_CLASS cls) {
    for (const auto& c : kClasses) {
        if (c.cls == cls) return c.name;
    }
    return "?";
}

const char* keyTypeName(CK_KEY_TYPE type) {
    for (const auto& t : kTypes) {
        if (t.type == type) return t.name;
    }
    return "?";
}

std::string renderManifest(const BackupManifest& m) {
    std::string t = std::string(kManifestHeader) + "\n";
    t += "backup-id: " + m.backupId + "\n";
    t += "region: " + m.region + "\n";
    t += "token-label: " + m.tokenLabel + "\n";
    t += "created: " + m.created + "\n";
    t += "threshold: " + std::to_string(m.threshold) + "\n";
    t += "shares: " + std::to_string(m.shares) + "\n";
    for (const auto& c : m.custodians) t += "custodian: " + c + "\n";
    t += "backup-key-check: " + m.backupKeyCheck + "\n";
    t += "objects: " + std::to_string(m.objects.size()) + "\n";
    for (const auto& o : m.objects) {
        t += "object: " + o.label + " " + className(o.cls) + " " + keyTypeName(o.keyType) + " " +
             (o.id.empty() ? std::string("-") : hexEncode(o.id)) + " " +
             (o.form == BackupObject::Form::Wrapped ? "wrapped" : "spki") + " " +
             hexEncode(o.data) + "\n";
    }
    t += "not-backed-up: " + std::to_string(m.notBackedUp.size()) + "\n";
    for (const auto& l : m.notBackedUp) t += "missing: " + l + "\n";
    t += "check: " + sha256Hex(hsm::asBytes(t)) + "\n";
    return t;
}

BackupManifest parseManifest(std::string_view text, const std::string& source) {
    if (text.size() > kMaxManifestBytes) {
        throw CeremonyFileError(source + ": too large to be a Keyport backup manifest");
    }
    StrictLines in(text, source);
    BackupManifest m;
    in.header(kManifestHeader);
    m.backupId = std::string(in.field("backup-id"));
    if (m.backupId.size() != 32 || !isLowerHex(m.backupId)) {
        in.fail("the backup id must be 32 lowercase hex digits");
    }
    m.region = std::string(in.field("region"));
    if (!isPlainName(m.region)) in.fail("not a region name");
    m.tokenLabel = std::string(in.field("token-label"));
    if (!isPlainName(m.tokenLabel)) in.fail("not a token label");
    m.created = std::string(in.field("created"));
    if (!isUtcTime(m.created)) in.fail("'created' must be a UTC time like 2026-01-31T12:00:00Z");
    m.threshold = in.number("threshold", 1, kMaxCeremonyShares);
    m.shares = in.number("shares", 1, kMaxCeremonyShares);
    if (m.threshold > m.shares) in.fail("the threshold is larger than the number of shares");
    for (unsigned i = 0; i < m.shares; ++i) {
        const auto c = in.field("custodian");
        if (!isCustodianName(c)) in.fail("not a custodian name");
        m.custodians.emplace_back(c);
    }
    m.backupKeyCheck = std::string(in.field("backup-key-check"));
    if (m.backupKeyCheck.size() != 6 || !isLowerHex(m.backupKeyCheck)) {
        in.fail("the backup key check value must be 6 lowercase hex digits");
    }
    const unsigned objects = in.number("objects", 0, 64);
    for (unsigned i = 0; i < objects; ++i) {
        auto o = parseObject(in, in.field("object"));
        for (const auto& seen : m.objects) {
            if (seen.label == o.label && seen.cls == o.cls) in.fail("object listed twice");
        }
        m.objects.push_back(std::move(o));
    }
    const unsigned missing = in.number("not-backed-up", 0, 64);
    for (unsigned i = 0; i < missing; ++i) {
        const auto l = in.field("missing");
        if (!isPlainName(l)) in.fail("not an object label");
        m.notBackedUp.emplace_back(l);
    }
    std::string_view covered;
    const auto check = in.check(covered);
    if (check != sha256Hex(hsm::asBytes(covered))) {
        throw CeremonyFileError(source +
                                ": the manifest's check value does not match its contents (the "
                                "file was changed or damaged)");
    }
    return m;
}

}  // namespace keyport::ceremony
