# Full-precision reference for the quartic kernel density (QuarticKde, `sdp kde`), in base R only.
#   Rscript kde-reference.R        (from this folder; rewrites the two CSVs below)
# Events: 80 points in UTM 48N metres (EPSG:32648), three clusters over a thin background, with a
# weight of 1-3 each, drawn with a fixed seed and written with %.17g, so that the doubles a reader
# parses are exactly the doubles R computed with (kde-points-60.csv has 6 decimals, which is why
# its tests only bound the rounding).
# Grid: square cells of CELL m whose edges lie on multiples of CELL (as the existing 60-point fixture
# and SquareGrid do): origin = floor(min / CELL) * CELL on each axis, enough cells to reach the
# maximum, centres origin + (i + 0.5) * CELL, rows from the south, west to east within a row.
# Density at each centre: sum over events of weight * K(d) * 3 / (pi h^2), with the quartic kernel
# K(d) = (1 - d^2/h^2)^2 for d <= h and 0 beyond.
set.seed(20261201)
h <- 250
cell <- 100

clusters <- data.frame(x = c(590700, 591400, 591100), y = c(2940600, 2941300, 2940500),
                       sd = c(180, 260, 120), n = c(30, 25, 15))
x <- numeric(0); y <- numeric(0)
for (k in seq_len(nrow(clusters))) {
  x <- c(x, rnorm(clusters$n[k], clusters$x[k], clusters$sd[k]))
  y <- c(y, rnorm(clusters$n[k], clusters$y[k], clusters$sd[k]))
}
background <- 80 - length(x)
x <- c(x, runif(background, 590000, 592000))
y <- c(y, runif(background, 2940000, 2942000))
weight <- sample(1:3, length(x), replace = TRUE)

origin_x <- floor(min(x) / cell) * cell
origin_y <- floor(min(y) / cell) * cell
columns <- ceiling((max(x) - origin_x) / cell)
rows <- ceiling((max(y) - origin_y) / cell)
centre_x <- origin_x + (rep(seq_len(columns) - 1, times = rows) + 0.5) * cell
centre_y <- origin_y + (rep(seq_len(rows) - 1, each = columns) + 0.5) * cell

quartic <- function(d2) ifelse(d2 <= h^2, (1 - d2 / h^2)^2, 0)
density <- vapply(seq_along(centre_x), function(i) {
  sum(weight * quartic((x - centre_x[i])^2 + (y - centre_y[i])^2)) * 3 / (pi * h^2)
}, numeric(1))

writeLines(c("x,y,value", sprintf("%.17g,%.17g,%d", x, y, weight)), "kde-points-80-full-precision.csv")
writeLines(c("x,y,density", sprintf("%.17g,%.17g,%.17g", centre_x, centre_y, density)),
           "kde-points-80-full-precision-h250-cell100.csv")
cat(sprintf("%s: %d events, %d x %d cells from (%.17g, %.17g), %d with density > 0\n",
            R.version.string, length(x), columns, rows, origin_x, origin_y, sum(density > 0)))
