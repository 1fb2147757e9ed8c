// zlib for Swift: the public header only (the API stand-in compresses large responses, issue 18).
#include <zlib.h>
