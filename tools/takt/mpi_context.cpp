// The only file that includes mpi.h. Launch detection uses the variables Open MPI and PMI
// launchers set, so a plain `takt sweep` never pays for MPI start-up.
#include "mpi_context.hpp"

#include <cstdlib>

#ifdef TAKT_WITH_MPI
#include <mpi.h>
#endif

namespace takt::cli {

namespace {
MpiContext& instance() {
  static MpiContext context;
  return context;
}
}  // namespace

const MpiContext& MpiContext::world() { return instance(); }

#ifdef TAKT_WITH_MPI

void MpiContext::init(int* argc, char*** argv) {
  const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr ||
                        std::getenv("PMI_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr;
  if (!launched) return;
  MPI_Init(argc, argv);
  MpiContext& c = instance();
  c.active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &c.rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &c.size_);
}

void MpiContext::finish(int status) {
  MpiContext& c = instance();
  if (!c.active_) return;
  if (status != 0 && c.size_ > 1) MPI_Abort(MPI_COMM_WORLD, status);
  MPI_Finalize();
}

void MpiContext::barrier() const {
  if (active_) MPI_Barrier(MPI_COMM_WORLD);
}

#else

void MpiContext::init(int*, char***) {}
void MpiContext::finish(int) {}
void MpiContext::barrier() const {}

#endif

}  // namespace takt::cli
