// Secret envelopes: the on-token steps behind a CSMS secret version. A fresh AES-256 data
// key per version encrypts the value (GCM, name and version id as associated data) and is
// stored only wrapped (AES-KWP) under a CMK; a data key reaches another region's CMK only
// through a transfer blob. The host sees the value only when a request asks for it.
#pragma once

#include <memory>
#include <vector>

#include "hsm/bytes.h"
#include "service/core/replication/transfer_blob.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport::envelope {

// A CMK (opened for wrapping) in its region, at one material version: what a data key
// wrapped under it records (SecretVersion::cmkVersion).
struct Cmk {
    Region* region;
    std::shared_ptr<OpenKey> key;
    std::uint32_t version;
};

struct Sealed {
    hsm::Bytes iv;
    hsm::Bytes ciphertext;                // GCM, tag appended
    hsm::Bytes wrappedDataKey;            // under the primary CMK (its `version`)
    std::vector<hsm::Bytes> replicaKeys;  // the same data key under each replica CMK, in order
};

hsm::Bytes associatedData(const std::string& secretName, const std::string& versionId);

Sealed seal(const Cmk& cmk, hsm::ByteView value, hsm::ByteView aad,
            const std::vector<Cmk>& replicas);
// The value, in host memory only as SecretBytes.
hsm::SecretBytes open(const Cmk& cmk, const hsm::Bytes& wrappedDataKey, const hsm::Bytes& iv,
                      const hsm::Bytes& ciphertext, hsm::ByteView aad);
// The data key wrapped under `from` re-wrapped under `to` (another region) via a transfer
// blob; never in plaintext on the host.
hsm::Bytes rewrap(const Cmk& from, const hsm::Bytes& wrappedDataKey, const Cmk& to);

// The data key wrapped under `cmk` as a transfer blob to its own region's transport key (a
// backup's form of it); adoptDataKey() takes such a blob on `holder`'s token and wraps the
// key under `to`, in any region. Neither puts the key on the host.
TransferBlob exportDataKey(const Cmk& cmk, const hsm::Bytes& wrappedDataKey);
hsm::Bytes adoptDataKey(Region& holder, const TransferBlob& blob, const Cmk& to);

}  // namespace keyport::envelope
