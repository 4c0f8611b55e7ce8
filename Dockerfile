# Holon: a static binary (no cgo; SQLite is pure Go) on a distroless base,
# run as a non-root user, data in the /data volume.
#
#   docker build -t holon .
#   docker run -p 8080:8080 -v holon-data:/data holon

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/holon ./cmd/holon \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/holon /usr/local/bin/holon
# /data belongs to 65532, the image's nonroot user, so that the volume
# created from it is writable by the server.
COPY --from=build --chown=65532:65532 /out/data /data
USER nonroot:nonroot
WORKDIR /data
VOLUME /data
ENV HOLON_SERVER_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/holon"]
CMD ["serve"]
