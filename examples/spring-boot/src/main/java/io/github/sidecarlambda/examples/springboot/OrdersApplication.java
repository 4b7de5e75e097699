package io.github.sidecarlambda.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The seed's integration as a Spring Boot application: the sidecar-lambda component is configured only by
 * {@code camel.component.sidecar-lambda.*} in application.yaml (through camel-sidecar-lambda-starter), the route by
 * {@link OrderRoute}.
 */
@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
