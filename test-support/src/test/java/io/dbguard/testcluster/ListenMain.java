package io.dbguard.testcluster;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in "image" for {@link LocalNodeIT}: listens on loopback port {@code $PORT} and answers
 * every connection with {@code $HOSTNAME} (the pod's name) and a newline, until killed.
 */
public final class ListenMain {
  private ListenMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv("PORT"));
    try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      while (true) {
        try (Socket s = server.accept();
            OutputStream out = s.getOutputStream()) {
          out.write((System.getenv("HOSTNAME") + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }
}
