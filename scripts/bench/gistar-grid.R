# A seeded COLUMNS x ROWS grid of CELL-metre cells in UTM 48N (EPSG:32648) around Guiyang with a
# clustered count per cell: Poisson counts around a dozen Gaussian hot spots over a low background,
# the shape of a year of cases. Coordinates and counts are integers, so R and .NET read the same doubles.
#   Rscript gistar-grid.R COLUMNS ROWS CELL SEED OUT.csv
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 5) stop("usage: Rscript gistar-grid.R COLUMNS ROWS CELL SEED OUT.csv")
columns <- as.integer(args[1]); rows <- as.integer(args[2]); cell <- as.integer(args[3])
set.seed(as.integer(args[4]))
origin_x <- 560000L; origin_y <- 2920000L
column <- rep(seq_len(columns) - 1L, times = rows)
row <- rep(seq_len(rows) - 1L, each = columns)
x <- origin_x + column * cell + cell %/% 2L
y <- origin_y + row * cell + cell %/% 2L
hot_spots <- 12
centre_x <- origin_x + runif(hot_spots) * columns * cell
centre_y <- origin_y + runif(hot_spots) * rows * cell
spread <- runif(hot_spots, 3, 15) * cell
peak <- runif(hot_spots, 2, 12)
rate <- rep(0.3, length(x))
for (k in seq_len(hot_spots)) {
  rate <- rate + peak[k] * exp(-((x - centre_x[k])^2 + (y - centre_y[k])^2) / (2 * spread[k]^2))
}
value <- rpois(length(x), rate)
write.csv(data.frame(x = x, y = y, value = value), args[5], row.names = FALSE, quote = FALSE)
