// The files of an offline import: the import parameters `keyport ceremony export-parameters`
// writes and `keyport wrap --parameters` reads on the offline machine, and the wrapped
// material `keyport wrap` prints and `keyport ceremony import --file` reads back.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

#include "hsm/bytes.h"

namespace keyport::cli {

// get-parameters-for-import's answer, with the key, project and region it was issued for.
// On disk a JSON object: key_id, project_id, region, public_key (base64 DER SPKI),
// import_token, expiration_time (epoch seconds), algorithm, wrapping_key_spec.
struct ImportParametersFile {
    std::string keyId;
    std::string projectId;
    std::string region;
    hsm::Bytes publicKey;
    std::string importToken;
    std::int64_t expiresAt = 0;
    std::string algorithm;
    std::string wrappingKeySpec;

    std::string json() const;
    // Throws std::runtime_error naming the file and what is wrong with it.
    static ImportParametersFile read(const std::string& path);
};

// A file of at most `maxBytes` holding one JSON object; throws std::runtime_error naming the
// file for one that is missing, too long, truncated or not an object.
Poco::JSON::Object::Ptr readJsonObjectFile(const std::string& path, std::size_t maxBytes);
// A string member of a file's object; throws naming the file and the member when absent.
std::string requiredString(const Poco::JSON::Object& o, const std::string& member,
                           const std::string& path);
// Lowercase hex SHA-256 of a file's bytes (for the transcript).
std::string fileSha256(const std::string& path);
// Writes `text` to `path` (mode 0600), refusing to replace an existing file.
void writeNewFile(const std::string& path, const std::string& text);

}  // namespace keyport::cli
