import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.List;

/**
 * Starts mongo-java-server's in-memory backend on 127.0.0.1:PORT (the first argument).
 *
 * The library announces MongoDB 4.0 (wire version 7); the Node.js driver 7 refuses servers
 * below wire version 9 (MongoDB 4.4), so this launcher announces 4.4. It implements no more
 * of 4.4 than the library does: what the project's code needs is checked by running the tests
 * against it (README, "Test servers").
 */
public final class Launch {
  public static void main(String[] args) throws Exception {
    MongoVersion announced = new MongoVersion() {
      @Override public List<Integer> getVersionArray() { return List.of(4, 4, 0); }
      @Override public int getWireVersion() { return 9; }
    };
    MongoServer server = new MongoServer(new MemoryBackend().version(announced));
    server.bind("127.0.0.1", Integer.parseInt(args[0]));
    System.out.println("mongo-java-server listening on 127.0.0.1:" + args[0]);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    Thread.currentThread().join();
  }
}
