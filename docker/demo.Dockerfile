# The demo's learning platform (the emulator) and tool, for docker-compose.yml. A stand-in for an LMS and a tool
# in a demo, never for production.
#   mvn -DskipTests package            (builds lti-demo/target/lti-demo-*.jar and lti-demo/target/demo-lib/)
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY lti-demo/target/demo-lib/ /app/lib/
COPY lti-demo/target/lti-demo-*.jar /app/lib/
ENV KEYCLOAK_URL=http://localhost:8080
ENV DEMO_BIND=0.0.0.0
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.github.keycloaklti.demo.DemoServices"]
