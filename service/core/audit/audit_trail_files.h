// The files of one audit trail: the active file (audit.path) and the files rotation renamed
// to "<audit.path>.<first seq, 12 digits>", in chain order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace keyport {

// "<active>.<firstSeq zero-padded to 12 digits>"
std::filesystem::path rotatedTrailFile(const std::filesystem::path& active, std::uint64_t firstSeq);
// The first seq a rotated file's name gives, or nothing when `file` is not one of
// `active`'s rotated files.
std::optional<std::uint64_t> rotatedFirstSeq(const std::filesystem::path& active,
                                             const std::filesystem::path& file);
// The rotated files by their seq, then the active file if it exists.
std::vector<std::filesystem::path> trailFiles(const std::filesystem::path& active);

// What start-up needs of a trail file: its first and last complete lines (without the
// newline) and what follows the last newline (a line torn by a crash mid-write).
struct TrailFileEnds {
    std::optional<std::string> first, last;
    std::uint64_t completeBytes = 0;  // up to and including the last newline
    std::uint64_t tornBytes = 0;
};
// Reads only the ends of the file. Throws std::runtime_error when it cannot be read or
// its last line is longer than a record may be.
TrailFileEnds readTrailFileEnds(const std::filesystem::path& file);

}  // namespace keyport
