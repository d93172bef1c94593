// The hub's agency directory data: the units getAgenciesList, getAgenciesListQD20 and
// getSynchronizeUnit return. vxpkit ships one (data/directory.tsv, compiled in): the ministries and
// government bodies G01…G30, the 63 provinces and centrally run cities H01…H63, and lower-level
// units of some of them. `vxpkit hub --directory FILE` (and the Python hub) can load another file
// of the same form.
//
// Form: UTF-8 text, one unit per line, tab-separated `code, parent code, level, name, mail`; empty
// lines and lines starting with '#' are ignored. Pure functions; thread-safe.
#ifndef VXP_SIMULATOR_HUB_DIRECTORY_H_
#define VXP_SIMULATOR_HUB_DIRECTORY_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "simulator/hub/store.h"

namespace vxp::hub {

// Parses a directory file. Ids are assigned in file order from 1; a parent must come before its
// children. Error "directory.line" naming the line number and what is wrong there (wrong column
// count, an identifier not of the strict QCVN 102 form, a level that is not 1-4, an unknown or
// later parent, a repeated code).
Result<std::vector<Agency>> ParseDirectory(std::string_view text);

// The built-in directory (data/directory.tsv).
const std::vector<Agency>& DefaultDirectory();

// A directory of `count` units (at least 93) shaped like the live hub's, for rehearsals at
// national scale: the 30 ministries G01…G30 and 63 provinces H01…H63 on level 1, then 40 units of
// level 2 under each (000.00.NN.H53), 8 of level 3 under each of those (000.MM.NN.H53), and the
// rest on level 4 (KKK.MM.NN.H53), dealt round the level-3 units in turn. Every unit belongs to
// the system of its level-1 unit ("sys.H53"), as a province's document system serves all of it.
// Ids from 1, parents before children; deterministic.
std::vector<Agency> NationalDirectory(size_t count);

// `agencies` in the directory file form (ParseDirectory reads it back).
std::string DirectoryTsv(const std::vector<Agency>& agencies);

}  // namespace vxp::hub

#endif  // VXP_SIMULATOR_HUB_DIRECTORY_H_
