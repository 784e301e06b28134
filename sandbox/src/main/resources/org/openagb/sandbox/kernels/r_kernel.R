# OpenAGB R kernel: one R process per session, state kept between cells (like a Jupyter IRkernel).
#
# Protocol (see Kernel.java): requests are JSON lines {"id": N, "code": "..."} on stdin; replies are frames
# "<byte length>\n<UTF-8 JSON>" on the private channel (file descriptor 3, written through `cat`, since the pipe
# cannot be reopened by this uid): first {"ready": true, "pid", "executable", "version"}, then per request
# {"id", "results", "stdout", "stderr", "error", "time"}. Each cell's top-level expressions are evaluated in the
# global environment; visible values are printed as the R console prints them; output written with cat/print/message
# is captured per cell. Base R only: no packages needed.

.openagb <- new.env()
.openagb$stdin <- .openagb_stdin  # opened by the launcher, which read this source's line from it
rm(.openagb_stdin)
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
# The relay ignores SIGINT: the server interrupts a cell with SIGINT to the kernel's process group.
.openagb$channel <- pipe("trap '' INT; exec cat >&3", open = "wb")

.openagb$json_string <- function(s) {
  s <- enc2utf8(paste(s, collapse = "\n"))
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\r", "\\r", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  chars <- utf8ToInt(s)
  if (length(chars) && any(chars < 32L)) {
    out <- vapply(chars, function(c) if (c < 32L) sprintf("\\u%04x", c) else intToUtf8(c), "")
    s <- paste(out, collapse = "")
  }
  paste0("\"", s, "\"")
}

.openagb$json_list <- function(xs) {
  paste0("[", paste(vapply(xs, .openagb$json_string, ""), collapse = ","), "]")
}

.openagb$send <- function(json) {
  bytes <- charToRaw(enc2utf8(json))
  writeBin(c(charToRaw(paste0(length(bytes), "\n")), bytes), .openagb$channel)
  flush(.openagb$channel)
}

# Decodes the JSON string that starts at position `at` of `text` (just after its opening quote).
.openagb$json_decode_string <- function(text, at) {
  chars <- utf8ToInt(text)
  out <- integer(0)
  i <- at
  n <- length(chars)
  buf <- integer(n)
  k <- 0L
  while (i <= n) {
    c <- chars[i]
    if (c == 34L) break  # closing quote
    if (c == 92L) {
      i <- i + 1L
      e <- chars[i]
      if (e == 110L) c <- 10L
      else if (e == 116L) c <- 9L
      else if (e == 114L) c <- 13L
      else if (e == 98L) c <- 8L
      else if (e == 102L) c <- 12L
      else if (e == 117L) {
        c <- strtoi(intToUtf8(chars[(i + 1L):(i + 4L)]), 16L)
        i <- i + 4L
        if (c >= 0xD800 && c <= 0xDBFF && i + 6L <= n && chars[i + 1L] == 92L && chars[i + 2L] == 117L) {
          low <- strtoi(intToUtf8(chars[(i + 3L):(i + 6L)]), 16L)
          c <- 0x10000 + (c - 0xD800) * 1024 + (low - 0xDC00)
          i <- i + 6L
        }
      } else c <- e  # \" \\ \/
    }
    k <- k + 1L
    buf[k] <- c
    i <- i + 1L
  }
  if (k == 0L) "" else intToUtf8(buf[seq_len(k)])
}

# Interrupts (the server's SIGINT on a timeout, sent to the kernel and to its group, so often twice) are allowed only
# while a cell's code runs; one left pending is drained before the next cell starts.
.openagb$run <- function(code) suspendInterrupts({
  # Drain an interrupt left pending by the previous cell's timeout (it was meant for that cell).
  tryCatch(allowInterrupts(Sys.sleep(0.001)), interrupt = function(i) NULL)
  out_con <- rawConnection(raw(0), "w")
  err_con <- rawConnection(raw(0), "w")
  sink(out_con)
  sink(err_con, type = "message")
  error <- ""
  warnings <- character(0)
  started <- proc.time()[["elapsed"]]
  tryCatch(
    allowInterrupts(withCallingHandlers(
      {
        exprs <- parse(text = code, keep.source = FALSE)
        for (e in exprs) {
          r <- withVisible(eval(e, envir = globalenv()))
          if (r$visible) print(r$value)
        }
      },
      warning = function(w) {
        warnings <<- c(warnings, conditionMessage(w))
        invokeRestart("muffleWarning")
      }
    )),
    error = function(e) {
      msg <- conditionMessage(e)
      call <- conditionCall(e)
      name <- if (inherits(e, "parseError") || grepl("^<text>:", msg)) "SyntaxError" else "Error"
      where <- if (!is.null(call)) paste0(" in ", paste(deparse(call), collapse = " ")) else ""
      error <<- paste0(name, ": ", msg, if (name == "Error") where else "")
    },
    interrupt = function(i) {
      error <<- "KeyboardInterrupt: interrupted"
    }
  )
  if (length(warnings)) {
    message(paste0("Warning message", if (length(warnings) > 1) "s" else "", ":\n", paste(warnings, collapse = "\n")))
  }
  sink(type = "message")
  sink()
  out <- rawToChar(rawConnectionValue(out_con))
  err <- rawToChar(rawConnectionValue(err_con))
  close(out_con)
  close(err_con)
  Encoding(out) <- "UTF-8"
  Encoding(err) <- "UTF-8"
  list(
    stdout = if (nzchar(out)) out else character(0),
    stderr = if (nzchar(err)) err else character(0),
    error = error,
    time = proc.time()[["elapsed"]] - started
  )
})

.openagb$send(paste0(
  "{\"ready\":true,\"pid\":", Sys.getpid(),
  ",\"executable\":", .openagb$json_string(file.path(R.home("bin"), "R")),
  ",\"version\":", .openagb$json_string(paste(R.version$major, R.version$minor, sep = ".")), "}"))

repeat {
  line <- tryCatch(readLines(.openagb$stdin, n = 1L, encoding = "UTF-8", warn = FALSE),
                   interrupt = function(i) character(0), error = function(e) NULL)
  if (is.null(line) || length(line) == 0L) {
    if (is.null(line)) break
    next
  }
  id <- sub("^.*\"id\"\\s*:\\s*([0-9]+).*$", "\\1", line, perl = TRUE)
  at <- regexpr("\"code\"\\s*:\\s*\"", line, perl = TRUE)
  code <- if (at > 0) .openagb$json_decode_string(line, at + attr(at, "match.length")) else ""
  r <- .openagb$run(code)
  suspendInterrupts(.openagb$send(paste0(
    "{\"id\":", id,
    ",\"results\":[]",
    ",\"stdout\":", .openagb$json_list(r$stdout),
    ",\"stderr\":", .openagb$json_list(r$stderr),
    ",\"error\":", .openagb$json_string(r$error),
    ",\"time\":", format(r$time, scientific = FALSE), "}")))
}
