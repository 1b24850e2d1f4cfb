#include "tools/offline_import_files.h"

#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "service/core/base/encoding.h"

namespace keyport::cli {
namespace {

std::string slurp(const std::string& path, std::size_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::string text(maxBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > maxBytes) {
        throw std::runtime_error(path + " is longer than " + std::to_string(maxBytes) +
                                 " bytes: not an offline import file");
    }
    return text;
}

}  // namespace

Poco::JSON::Object::Ptr readJsonObjectFile(const std::string& path, std::size_t maxBytes) {
    const std::string text = slurp(path, maxBytes);
    try {
        Poco::JSON::Parser parser;
        auto v = parser.parse(text);
        auto o = v.extract<Poco::JSON::Object::Ptr>();
        if (o) return o;
    } catch (const Poco::Exception&) {
    } catch (const std::exception&) {
    }
    throw std::runtime_error(path +
                             " is not a complete JSON object (truncated or not the file "
                             "keyport wrote)");
}

std::string requiredString(const Poco::JSON::Object& o, const std::string& member,
                           const std::string& path) {
    if (!o.has(member) || !o.get(member).isString()) {
        throw std::runtime_error(path + " has no \"" + member + "\" string");
    }
    return o.getValue<std::string>(member);
}

std::string ImportParametersFile::json() const {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("key_id", keyId);
    o.set("project_id", projectId);
    o.set("region", region);
    o.set("public_key", base64Encode(publicKey));
    o.set("import_token", importToken);
    o.set("expiration_time", expiresAt);
    o.set("algorithm", algorithm);
    o.set("wrapping_key_spec", wrappingKeySpec);
    std::ostringstream s;
    o.stringify(s);
    return s.str() + "\n";
}

ImportParametersFile ImportParametersFile::read(const std::string& path) {
    const auto o = readJsonObjectFile(path, 64 * 1024);
    ImportParametersFile f;
    f.keyId = requiredString(*o, "key_id", path);
    f.projectId = requiredString(*o, "project_id", path);
    f.region = requiredString(*o, "region", path);
    const auto spki = base64Decode(requiredString(*o, "public_key", path));
    if (!spki || spki->empty()) throw std::runtime_error(path + ": public_key is not base64");
    f.publicKey = *spki;
    f.importToken = requiredString(*o, "import_token", path);
    f.algorithm = requiredString(*o, "algorithm", path);
    f.wrappingKeySpec = requiredString(*o, "wrapping_key_spec", path);
    try {
        f.expiresAt = o->getValue<std::int64_t>("expiration_time");
    } catch (const std::exception&) {
        throw std::runtime_error(path + " has no \"expiration_time\" number");
    }
    return f;
}

std::string fileSha256(const std::string& path) {
    const std::string text = slurp(path, 16 * 1024 * 1024);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed (EVP_Digest)");
    }
    return hexEncode(hsm::ByteView(md, len));
}

void writeNewFile(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create " + path +
                                 (errno == EEXIST ? " (it exists; choose a new file)" : ""));
    }
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            ::close(fd);
            throw std::runtime_error("cannot write " + path);
        }
        done += static_cast<std::size_t>(w);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) throw std::runtime_error("cannot write " + path);
}

}  // namespace keyport::cli
