// `--report`: the figures and report.html of tools/plot/takt-plot, drawn from an output folder
// when Python and matplotlib are here, and a note saying how to install them when they are not.
#pragma once

#include <filesystem>
#include <string>

namespace takt::cli {

/// Draws the report of the takt output in `data` into `report` (a folder), naming the folder
/// `shown_as` and the command that made it on the page. Returns false after a note on stderr when
/// it could not (no Python, no matplotlib or pandas, no takt-plot): the run's own files are whole
/// either way.
bool draw_report(const std::filesystem::path& data, const std::filesystem::path& report,
                 const std::string& shown_as, const std::string& command);

}  // namespace takt::cli
