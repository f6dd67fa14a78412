# The WASI platform for CMake versions that lack it, as wasi-sdk ships it.
set(WASI 1)
