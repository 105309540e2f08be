# Gi* z-scores as crime analysts compute them in R: spdep::localG with binary distance-band weights
# (dnearneigh from 0 to BAND, the location itself included, style "B"). The reference for
# `sdp gistar`: scripts/bench/gistar-spdep.sh times it, and HotspotCommandTests cross-checks the
# verb against it on a fresh random input every run.
#   Rscript spdep-localg.R IN.csv BAND OUT.csv [ROUNDS]
# IN.csv has the header x,y,value; OUT.csv gets one column z (%.17g, round-trip), in input order.
# Each round times the neighbour search, the weights and localG with system.time (elapsed seconds,
# printed as "spdep_seconds S cpu C"); reading and writing the CSV are outside the timing.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) stop("usage: Rscript spdep-localg.R IN.csv BAND OUT.csv [ROUNDS]")
band <- as.numeric(args[2])
rounds <- if (length(args) >= 4) as.integer(args[4]) else 1L
suppressPackageStartupMessages(library(spdep))

cells <- read.csv(args[1], colClasses = "numeric")
coords <- cbind(cells$x, cells$y)
for (round in seq_len(rounds)) {
  timing <- system.time({
    neighbours <- include.self(dnearneigh(coords, 0, band))
    weights <- nb2listw(neighbours, style = "B")
    z <- as.numeric(localG(cells$value, weights))
  })
  # CPU seconds too: R runs on one core, so on a machine busy with other work they are what the
  # elapsed time would be on an idle one.
  cat(sprintf("spdep_seconds %.3f cpu %.3f\n", timing[["elapsed"]], timing[["user.self"]] + timing[["sys.self"]]))
}
writeLines(c("z", sprintf("%.17g", z)), args[3])
cat(sprintf("spdep %s, %s: %d cells, band %s\n", packageVersion("spdep"), R.version.string, nrow(cells), args[2]))
